import { roomEndpoints } from '@/api';
import { api } from './user';

/** The rooms endpoints, speaking for whoever is signed in (same client, same renewal). */
export const roomsApi = roomEndpoints(api.client);
