import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// The certificates of nodes with in-transit encryption: a CA and one node certificate (for 127.0.0.1 and localhost)
// made once with openssl into <data dir>/tls and kept, so a client that trusts <data dir>/tls/ca.crt keeps reaching
// the nodes across emulator restarts: `redis-cli --tls --cacert <data dir>/tls/ca.crt -p <port> -a <token>`.

export interface NodeCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export const TLS_DIR = "tls";

export function certificatesIn(dataDir: string): NodeCertificates {
  const dir = path.join(dataDir, TLS_DIR);
  return { caFile: path.join(dir, "ca.crt"), certFile: path.join(dir, "node.crt"), keyFile: path.join(dir, "node.key") };
}

const DAYS = "3650";
const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/**
 * The data dir's certificates, made the first time a TLS node starts. openssl runs synchronously: it takes tens of
 * milliseconds, once per data dir, and needs nothing from this process's event loop.
 */
export function ensureCertificates(dataDir: string): NodeCertificates {
  const files = certificatesIn(dataDir);
  if (fs.existsSync(files.caFile) && fs.existsSync(files.certFile) && fs.existsSync(files.keyFile)) return files;
  const dir = path.dirname(files.caFile);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = path.join(dir, "ca.key");
  const csr = path.join(dir, "node.csr");
  const ext = path.join(dir, "node.ext");
  const run = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  run(["req", "-x509", ...EC_KEY, "-keyout", caKey, "-out", files.caFile, "-days", DAYS, "-subj", "/CN=CacheDeck emulator CA"]);
  run(["req", ...EC_KEY, "-keyout", files.keyFile, "-out", csr, "-subj", "/CN=127.0.0.1"]);
  fs.writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  run(["x509", "-req", "-in", csr, "-CA", files.caFile, "-CAkey", caKey, "-CAcreateserial", "-out", files.certFile, "-days", DAYS, "-extfile", ext]);
  fs.rmSync(csr);
  fs.rmSync(ext);
  return files;
}
