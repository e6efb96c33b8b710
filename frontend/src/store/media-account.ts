// The video quality a person chooses follows their account (`preferred_resolution`), so a
// new browser or device starts with it; the device keeps a copy for the next visit.
import type { Resolution } from '@/rtc/media-constraints';
import { readResolution } from '@/rtc/media-constraints';
import { mediaStore, setResolution } from './media';
import { api, userStore } from './user';

/** Takes the account's choice (on the pre-join screen); quietly keeps the device's copy
 * when signed out or when the server cannot be asked. */
export async function loadAccountResolution(): Promise<void> {
  if (!userStore.getState().user) {
    return;
  }
  try {
    const { settings } = await api.users.settings();
    const chosen = readResolution(settings.preferred_resolution);
    if (chosen && chosen !== mediaStore.getState().prefs.resolution) {
      await setResolution(chosen);
    }
  } catch {
    // Offline or signed out meanwhile: the device's copy stands.
  }
}

/** The person picked a quality: applied at once, and saved to the account. */
export async function chooseResolution(resolution: Resolution): Promise<void> {
  await setResolution(resolution);
  if (!userStore.getState().user) {
    return;
  }
  await api.users.updateSettings({ preferred_resolution: resolution }).catch(() => undefined);
}
