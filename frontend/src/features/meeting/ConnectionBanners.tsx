import type { ConnectionState } from '@/store';
import type { CallState } from '@/store/media-call';
import { ConnectionBanner } from './ConnectionBanner';

/** The signaling socket being set up (again), or, with it open, the media connection down. */
export function ConnectionBanners({
  meeting,
  media,
}: {
  meeting: ConnectionState;
  media: CallState['connection'];
}) {
  const mediaDown = media === 'reconnecting' || media === 'failed';
  return (
    <>
      {(meeting === 'connecting' || meeting === 'reconnecting') && (
        <ConnectionBanner state={meeting} />
      )}
      {meeting === 'open' && mediaDown && <ConnectionBanner state="reconnecting" />}
    </>
  );
}
