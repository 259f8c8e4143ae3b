// Vitest runs outside React's server environment, where the real `server-only` package throws
// on import; integration tests exercise server modules directly, so they get this empty module.
export {};
