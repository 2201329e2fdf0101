import { getAppContext } from '../../../../server/app-context';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  return getAppContext().routes.subscribePush(request);
}

export function DELETE(request: Request): Promise<Response> {
  return getAppContext().routes.unsubscribePush(request);
}
