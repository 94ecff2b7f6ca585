// Region names of endpoint services: Atlas's (US_EAST_1, US_EAST_2, CENTRAL_US) and the cloud's
// (us-east-1, eastus2, us-central1). A caller may give either; what goes on the wire is always
// Atlas's name, because:
// - it is the form known to work: the Terraform provider sends it, and the spec's examples use it
//   (that Atlas also takes the cloud's form, as the Atlas CLI's examples suggest, is unconfirmed:
//   ATLAS_API_FACTS.md §4);
// - Atlas answers with its own name in `regionName`, so finding the project's service in a region
//   (ensureEndpointService) compares Atlas names with Atlas names.
//
// AWS names map word for word (us-east-1 <-> US_EAST_1, us-gov-west-1 <-> US_GOV_WEST_1). Azure's
// and Google Cloud's do not (eastus -> US_EAST, us-central1 -> CENTRAL_US, europe-west1 ->
// WESTERN_EUROPE): the tables below hold Atlas's documented names. A cloud name missing from them
// is refused before sending (give Atlas's name instead); an Atlas name is sent as given, and Atlas
// is the judge (400 INVALID_REGION), so regions Atlas adds later work without a release.
//
// Only the high-level service functions import this file (the low-level client checks a region's
// shape only, and sends it as written), so bundles that do not create services leave it out.
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { CloudProvider } from "./types.ts";

/** Azure region (as `az account list-locations` names it) -> Atlas region name. */
const AZURE: Readonly<Record<string, string>> = {
  centralus: "US_CENTRAL",
  eastus: "US_EAST",
  eastus2: "US_EAST_2",
  northcentralus: "US_NORTH_CENTRAL",
  westus: "US_WEST",
  westus2: "US_WEST_2",
  westus3: "US_WEST_3",
  westcentralus: "US_WEST_CENTRAL",
  southcentralus: "US_SOUTH_CENTRAL",
  brazilsouth: "BRAZIL_SOUTH",
  brazilsoutheast: "BRAZIL_SOUTHEAST",
  canadaeast: "CANADA_EAST",
  canadacentral: "CANADA_CENTRAL",
  mexicocentral: "MEXICO_CENTRAL",
  northeurope: "EUROPE_NORTH",
  westeurope: "EUROPE_WEST",
  uksouth: "UK_SOUTH",
  ukwest: "UK_WEST",
  francecentral: "FRANCE_CENTRAL",
  francesouth: "FRANCE_SOUTH",
  italynorth: "ITALY_NORTH",
  germanywestcentral: "GERMANY_WEST_CENTRAL",
  germanynorth: "GERMANY_NORTH",
  polandcentral: "POLAND_CENTRAL",
  switzerlandnorth: "SWITZERLAND_NORTH",
  switzerlandwest: "SWITZERLAND_WEST",
  norwayeast: "NORWAY_EAST",
  norwaywest: "NORWAY_WEST",
  swedencentral: "SWEDEN_CENTRAL",
  swedensouth: "SWEDEN_SOUTH",
  spaincentral: "SPAIN_CENTRAL",
  centralindia: "INDIA_CENTRAL",
  southindia: "INDIA_SOUTH",
  westindia: "INDIA_WEST",
  japaneast: "JAPAN_EAST",
  japanwest: "JAPAN_WEST",
  koreacentral: "KOREA_CENTRAL",
  koreasouth: "KOREA_SOUTH",
  eastasia: "ASIA_EAST",
  southeastasia: "ASIA_SOUTH_EAST",
  australiacentral: "AUSTRALIA_CENTRAL",
  australiacentral2: "AUSTRALIA_CENTRAL_2",
  australiaeast: "AUSTRALIA_EAST",
  australiasoutheast: "AUSTRALIA_SOUTH_EAST",
  southafricanorth: "SOUTH_AFRICA_NORTH",
  southafricawest: "SOUTH_AFRICA_WEST",
  uaecentral: "UAE_CENTRAL",
  uaenorth: "UAE_NORTH",
  qatarcentral: "QATAR_CENTRAL",
  israelcentral: "ISRAEL_CENTRAL",
};

/** Google Cloud region -> Atlas region name. */
const GCP: Readonly<Record<string, string>> = {
  "us-central1": "CENTRAL_US",
  "us-east1": "EASTERN_US",
  "us-east4": "US_EAST_4",
  "us-east5": "US_EAST_5",
  "us-west1": "WESTERN_US",
  "us-west2": "US_WEST_2",
  "us-west3": "US_WEST_3",
  "us-west4": "US_WEST_4",
  "us-south1": "US_SOUTH_1",
  "northamerica-northeast1": "NORTH_AMERICA_NORTHEAST_1",
  "northamerica-northeast2": "NORTH_AMERICA_NORTHEAST_2",
  "southamerica-east1": "SOUTH_AMERICA_EAST_1",
  "southamerica-west1": "SOUTH_AMERICA_WEST_1",
  "europe-west1": "WESTERN_EUROPE",
  "europe-north1": "EUROPE_NORTH_1",
  "europe-west2": "EUROPE_WEST_2",
  "europe-west3": "EUROPE_WEST_3",
  "europe-west4": "EUROPE_WEST_4",
  "europe-west6": "EUROPE_WEST_6",
  "europe-west8": "EUROPE_WEST_8",
  "europe-west9": "EUROPE_WEST_9",
  "europe-west10": "EUROPE_WEST_10",
  "europe-west12": "EUROPE_WEST_12",
  "europe-central2": "EUROPE_CENTRAL_2",
  "europe-southwest1": "EUROPE_SOUTHWEST_1",
  "asia-east1": "EASTERN_ASIA_PACIFIC",
  "asia-east2": "ASIA_EAST_2",
  "asia-northeast1": "NORTHEASTERN_ASIA_PACIFIC",
  "asia-northeast2": "ASIA_NORTHEAST_2",
  "asia-northeast3": "ASIA_NORTHEAST_3",
  "asia-southeast1": "SOUTHEASTERN_ASIA_PACIFIC",
  "asia-southeast2": "ASIA_SOUTHEAST_2",
  "asia-south1": "ASIA_SOUTH_1",
  "asia-south2": "ASIA_SOUTH_2",
  "australia-southeast1": "AUSTRALIA_SOUTHEAST_1",
  "australia-southeast2": "AUSTRALIA_SOUTHEAST_2",
  "me-west1": "MIDDLE_EAST_WEST_1",
  "me-central1": "MIDDLE_EAST_CENTRAL_1",
  "me-central2": "MIDDLE_EAST_CENTRAL_2",
  "africa-south1": "AFRICA_SOUTH_1",
};

/** How one provider's cloud names its regions, and how they become Atlas's names. */
export interface RegionNames {
  /** Cloud region -> Atlas region, where the two are not the same words. */
  readonly table: Readonly<Record<string, string>>;
  /** AWS: the cloud's names map word for word (`us-east-1` -> `US_EAST_1`). */
  readonly wordForWord: boolean;
  /** The cloud's name, for messages. */
  readonly cloud: string;
  /** An example of each form, for messages. */
  readonly example: readonly [atlas: string, cloud: string];
}

const AWS_REGIONS: RegionNames = {
  table: {},
  wordForWord: true,
  cloud: "AWS",
  example: ["US_EAST_1", "us-east-1"],
};
const AZURE_REGIONS: RegionNames = {
  table: AZURE,
  wordForWord: false,
  cloud: "Azure",
  example: ["US_EAST_2", "eastus2"],
};
const GCP_REGIONS: RegionNames = {
  table: GCP,
  wordForWord: false,
  cloud: "Google Cloud",
  example: ["CENTRAL_US", "us-central1"],
};

/** How each provider's cloud names its regions. */
export const REGION_NAMES: Readonly<Record<CloudProvider, RegionNames>> = {
  AWS: AWS_REGIONS,
  AZURE: AZURE_REGIONS,
  GCP: GCP_REGIONS,
};

const ATLAS_NAME = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;
const AWS_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/**
 * Atlas's name for `region` (Atlas's own, in any case, or the cloud's), or undefined when it is
 * neither form, or a cloud name the table does not know.
 */
export function toAtlasRegion(names: RegionNames, region: string): string | undefined {
  const lower = region.toLowerCase();
  const known = Object.hasOwn(names.table, lower) ? names.table[lower] : undefined;
  if (known !== undefined) return known;
  if (names.wordForWord && AWS_NAME.test(lower)) return lower.toUpperCase().replaceAll("-", "_");
  // Atlas's form: upper case, or with an underscore (a cloud name never has one).
  if (ATLAS_NAME.test(region) && (region === region.toUpperCase() || region.includes("_"))) {
    return region.toUpperCase();
  }
  return undefined;
}

/**
 * Checks a region, as Atlas names it or as the provider's cloud does, and returns Atlas's name
 * (what goes on the wire: see the file comment). The message names the rule, not the value.
 */
export function checkRegion(
  action: string,
  provider: CloudProvider,
  field: string,
  region: unknown,
): string {
  const fail = (rule: string): never => {
    throw new AtlasValidationError(`${action}: ${field} ${rule}`, { field });
  };
  if (region === undefined) fail("is required");
  if (typeof region !== "string") fail("must be a string");
  const names = REGION_NAMES[provider];
  const atlas = toAtlasRegion(names, (region as string).trim());
  if (atlas === undefined) {
    const [atlasName, cloudName] = names.example;
    fail(
      `must be a region as Atlas names it (e.g. ${atlasName}) or as ${names.cloud} does ` +
        `(e.g. ${cloudName}); for a region this library does not know by its ${names.cloud} ` +
        "name, give Atlas's name",
    );
  }
  return atlas as string;
}
