import { describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER } from "./peer-address";
import { clientIp } from "./request-ip";

describe("clientIp", () => {
  it("with no trusted proxy uses the connection's address, whatever X-Forwarded-For says", () => {
    for (const forged of ["1.2.3.4", "9.9.9.9, 8.8.8.8", ""]) {
      expect(clientIp({ [PEER_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": forged }, 0)).toBe("203.0.113.7");
    }
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4" }), 0)).toBe("unknown");
  });

  it("behind N trusted proxies reads the N-th address from the right", () => {
    const headers = { [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.1" };
    expect(clientIp(headers, 1)).toBe("10.0.0.1");
    expect(clientIp(headers, 2)).toBe("198.51.100.4");
    // A client-written entry on the left never wins while the trusted proxies appended theirs.
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4" }), 1)).toBe("198.51.100.4");
  });
});
