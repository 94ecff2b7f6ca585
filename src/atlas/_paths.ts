// The two paths of the Atlas private endpoint API, as spelled in spec/ and gen/.

/** Where endpoints of one endpoint service are created (POST). */
export const ENDPOINTS_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint" as const;

/** One endpoint, to read (GET) or delete (DELETE). */
export const ENDPOINT_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}" as const;
