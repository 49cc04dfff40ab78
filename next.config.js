/** @type {import('next').NextConfig} */
const nextConfig = {
  // The emulator and its process supervisor never belong in the app bundle.
  outputFileTracingExcludes: { "*": ["emulator/**", "tests/**", "scripts/**"] },
  serverExternalPackages: ["better-sqlite3", "pg", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
