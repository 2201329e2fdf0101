import { getAppContext } from '../../../../server/app-context';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return getAppContext().routes.pushKey(request);
}
