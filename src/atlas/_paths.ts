// The paths of the Atlas private endpoint API, as spelled in spec/ and gen/.

/** Where endpoints of one endpoint service are created (POST). */
export const ENDPOINTS_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint" as const;

/** One endpoint, to read (GET) or delete (DELETE). */
export const ENDPOINT_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}" as const;

/** Where endpoint services are created (POST). */
export const SERVICES_PATH = "/groups/{groupId}/privateEndpoint/endpointService" as const;

/** The endpoint services of one provider (GET: the list). */
export const PROVIDER_SERVICES_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService" as const;

/** One endpoint service, to read (GET) or delete (DELETE). */
export const SERVICE_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}" as const;
