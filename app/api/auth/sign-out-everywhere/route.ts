import { getAppContext } from '../../../../server/app-context';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  return getAppContext().routes.signOutEverywhere(request);
}
