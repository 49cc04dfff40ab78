import { z } from "zod";
import type { ComponentFactory } from "../component";
import { ApiError } from "../server/api-error";
import { parseInput } from "../server/input";
import type { Operation } from "../server/service";
import { ATTRIBUTE_NAMES, PRICE_ITEMS, type PriceItem } from "./price-items";

// The AWS Price List Service (2017-10-15, awsJson1_1) subset CacheDeck calls: GetProducts over ElastiCache's node
// products and DescribeServices naming them, answered from the bundled price snapshot (./price-items.ts). Other
// service codes are not served (NotFoundException). Errors carry AWS's shape names in __type.

const SERVICE_CODE = "AmazonElastiCache";
const MAX_RESULTS = 100;

const invalid = (message: string) => new ApiError("InvalidParameterException", message, 400);
const notFound = (code: string) => new ApiError("NotFoundException", `Service code ${code} is not served by this emulator (only ${SERVICE_CODE})`, 400);

const filterSchema = z.object({
  Type: z.enum(["TERM_MATCH", "EQUALS", "CONTAINS", "ANY_OF", "NONE_OF"]),
  Field: z.string().min(1).max(1024),
  Value: z.string().max(1024),
});
const getProductsSchema = z.object({
  ServiceCode: z.string().min(1),
  Filters: z.array(filterSchema).max(50).optional(),
  FormatVersion: z.literal("aws_v1").optional(),
  NextToken: z.string().max(2048).optional(),
  MaxResults: z.number().int().min(1).max(MAX_RESULTS).optional(),
});
const describeSchema = z.object({
  ServiceCode: z.string().optional(),
  FormatVersion: z.literal("aws_v1").optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
});

type Filter = z.output<typeof filterSchema>;

/** The Price List names every malformed input InvalidParameterException (no MissingParameter / InvalidParameterValue). */
function parsePricingInput<T extends z.ZodTypeAny>(schema: T, raw: unknown): z.output<T> {
  try {
    return parseInput(schema, raw);
  } catch (error) {
    throw error instanceof ApiError ? invalid(error.message) : error;
  }
}

/** TERM_MATCH and EQUALS compare whole values; ANY_OF / NONE_OF take comma-separated values; matching ignores case as AWS does. */
function matches(item: PriceItem, filter: Filter): boolean {
  const actual = (item.fields[filter.Field] ?? "").toLowerCase();
  const wanted = filter.Value.toLowerCase();
  const list = wanted.split(",").map((v) => v.trim());
  switch (filter.Type) {
    case "TERM_MATCH":
    case "EQUALS":
      return actual === wanted;
    case "CONTAINS":
      return actual.includes(wanted);
    case "ANY_OF":
      return list.includes(actual);
    case "NONE_OF":
      return !list.includes(actual);
  }
}

/** The token names the filters it was made for, so a token from another query is refused rather than misread. */
function encodeToken(offset: number, filters: Filter[]): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filters })).toString("base64url");
}

function decodeToken(token: string, filters: Filter[]): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o: unknown; f: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o > 0 && JSON.stringify(parsed.f) === JSON.stringify(filters)) return parsed.o;
  } catch {
    // falls through to the refusal below
  }
  throw new ApiError("InvalidNextTokenException", "The pagination token is invalid. Try again without a pagination token.", 400);
}

const getProducts: Operation = async (raw) => {
  const input = parsePricingInput(getProductsSchema, raw);
  if (input.ServiceCode !== SERVICE_CODE) throw notFound(input.ServiceCode);
  const filters = input.Filters ?? [];
  for (const f of filters) if (!ATTRIBUTE_NAMES.includes(f.Field)) throw invalid(`Unknown attribute name ${f.Field} for ${SERVICE_CODE}`);
  const found = PRICE_ITEMS.filter((item) => filters.every((f) => matches(item, f)));
  const offset = input.NextToken ? decodeToken(input.NextToken, filters) : 0;
  const limit = input.MaxResults ?? MAX_RESULTS;
  const page = found.slice(offset, offset + limit);
  const next = offset + limit < found.length ? encodeToken(offset + limit, filters) : undefined;
  return { FormatVersion: "aws_v1", PriceList: page.map((i) => i.json), ...(next ? { NextToken: next } : {}) };
};

const describeServices: Operation = async (raw) => {
  const input = parsePricingInput(describeSchema, raw);
  if (input.ServiceCode !== undefined && input.ServiceCode !== SERVICE_CODE) throw notFound(input.ServiceCode);
  return { FormatVersion: "aws_v1", Services: [{ ServiceCode: SERVICE_CODE, AttributeNames: ATTRIBUTE_NAMES }] };
};

export const pricingComponent: ComponentFactory = () => ({
  services: [
    {
      signingName: "pricing",
      version: "2017-10-15",
      xmlNamespace: "",
      targetPrefix: "AWSPriceListService",
      jsonVersion: "1.1",
      xmlListItemNames: {},
      operations: { GetProducts: getProducts, DescribeServices: describeServices },
    },
  ],
});
