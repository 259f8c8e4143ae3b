// The connection's own address, for the per-IP sign-in limit. Next's route handlers do not expose
// the socket, and the X-Forwarded-For they see is whatever the client sent (Next only fills it
// when it is absent), so the server copies the socket's remote address into a header of its own
// as each request arrives, overwriting any value a client sent under that name.
import http from "node:http";

export const PEER_ADDRESS_HEADER = "x-resetboard-peer-address";

let installed = false;

export function installPeerAddressHeader(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
