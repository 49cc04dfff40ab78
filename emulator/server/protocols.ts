import { cborProtocol } from "./cbor-protocol";
import { jsonProtocol } from "./json-protocol";
import type { ProtocolCodec } from "./protocol";

/** The codecs to hand createApiServer besides awsQuery (which it always keeps as the form-post fallback). */
export const rpcProtocols: readonly ProtocolCodec[] = [cborProtocol, jsonProtocol];
