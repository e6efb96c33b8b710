// What this server offers (`featuresStore`), asked once per page load: the app offers
// recording only where something would be recorded.
import { createStore } from 'zustand/vanilla';
import { serverEndpoints } from '@/api';
import { recordingsApi } from './recordings';
import { api } from './user';

const serverApi = serverEndpoints(api.client);

export interface FeaturesState {
  /** null until the server answered (or could not be asked). */
  recording: boolean | null;
  /** The signed-in person has recordings (made while recording was on, say). */
  hasRecordings: boolean;
}

const initialState = (): FeaturesState => ({ recording: null, hasRecordings: false });

export const featuresStore = createStore<FeaturesState>()(initialState);

let asked: Promise<void> | null = null;

/** Reads the server's features once; an unreachable server offers none. */
export function loadServerFeatures(): Promise<void> {
  asked ??= serverApi.features().then(
    (features) => {
      featuresStore.setState({ recording: features.recording });
    },
    () => {
      featuresStore.setState({ recording: false });
    },
  );
  return asked;
}

/** Whether the signed-in person has any recording, for a server that no longer records. */
export async function checkForRecordings(): Promise<void> {
  try {
    const page = await recordingsApi.list({ limit: 1 });
    featuresStore.setState({ hasRecordings: page.total > 0 });
  } catch {
    featuresStore.setState({ hasRecordings: false });
  }
}

let checkedFor: string | null = null;
let discovery = true;

/** Tests of other pages count their requests: they turn the discovery off (test/setup.ts). */
export function configureRecordingDiscovery(enabled: boolean): void {
  discovery = enabled;
}

/** Once per signed-in person: does the server record, and if not, is there anything to watch? */
export async function discoverRecordings(userId: string): Promise<void> {
  if (!discovery || checkedFor === userId) {
    return;
  }
  checkedFor = userId;
  await loadServerFeatures();
  if (featuresStore.getState().recording !== true) {
    await checkForRecordings();
  }
}

/** The Recordings page is offered where recording is on or there is something to watch. */
export function selectShowsRecordings(state: FeaturesState): boolean {
  return state.recording === true || state.hasRecordings;
}

export function resetFeaturesStore(): void {
  asked = null;
  checkedFor = null;
  featuresStore.setState(initialState(), true);
}
