import { useState } from 'preact/hooks';
import type { Room } from '@/api';
import { InviteContacts } from '@/features/notifications';
import { RecordingList } from '@/features/recordings';
import { featuresStore, roomDetailStore, selectShowsRecordings, useStore } from '@/store';
import {
  ArrowLeftIcon,
  Badge,
  Button,
  Card,
  DownloadIcon,
  EmptyState,
  HistoryIcon,
  LockIcon,
  RecordIcon,
} from '@/ui';
import { EditRoomDialog } from './EditRoomDialog';
import { InviteLinkField } from './InviteLinkField';
import { ROLE_LABELS } from './labels';
import { ParticipantList } from './ParticipantList';
import { roomAbilities } from './permissions';
import { HistoryRow } from './RecentMeetings';
import { RemovedPeopleList } from './RemovedPeopleList';
import type { RoomActionKind } from './RoomActionDialog';
import { RoomActionDialog } from './RoomActionDialog';
import { RoomManageActions } from './RoomManageActions';
import { RoomOverview } from './RoomOverview';
import { RoomSettingsPanel } from './RoomSettingsPanel';
import { RoomStatusBadge } from './RoomStatusBadge';
import { useInvitationDownload } from './use-invitation-download';

export interface RoomDetailViewProps {
  room: Room;
  backHref: string;
  /** After the host deleted the room. */
  onDeleted: () => void;
}

function useMembersOnlyData() {
  const participants = useStore(roomDetailStore, (state) => state.participants);
  const history = useStore(roomDetailStore, (state) => state.history);
  const bans = useStore(roomDetailStore, (state) => state.bans);
  return { participants, history, bans };
}

/** A room's page: facts, invite link, people, history and settings, by the caller's role. */
export function RoomDetailView({ room, backHref, onDeleted }: RoomDetailViewProps) {
  const { participants, history, bans } = useMembersOnlyData();
  const [editing, setEditing] = useState(false);
  const [action, setAction] = useState<RoomActionKind | null>(null);
  const { downloading, download } = useInvitationDownload();
  const can = roomAbilities(room);
  const recordings = useStore(featuresStore, selectShowsRecordings);

  return (
    <>
      <a
        href={backHref}
        class="mb-4 inline-flex items-center gap-1.5 rounded text-sm font-medium text-green-700 hover:text-green-800 hover:underline"
      >
        <ArrowLeftIcon class="size-4" /> Dashboard
      </a>
      <div class="mb-6 flex flex-col gap-4">
        <div class="flex flex-wrap items-center gap-2">
          <h1 class="min-w-0 text-2xl font-semibold tracking-tight break-words text-gray-900">
            {room.name}
          </h1>
          <RoomStatusBadge status={room.status} />
          {room.my_role && <Badge>You: {ROLE_LABELS[room.my_role]}</Badge>}
        </div>
        <RoomManageActions
          room={room}
          onEdit={() => {
            setEditing(true);
          }}
          onAction={setAction}
        />
      </div>
      <div class="grid gap-6 lg:grid-cols-3">
        <div class="flex min-w-0 flex-col gap-6 lg:col-span-2">
          <Card title="About this room">
            <RoomOverview room={room} />
          </Card>
          {room.status === 'active' && (
            <Card
              title="Invite people"
              actions={
                room.scheduled_at && (
                  <Button
                    variant="secondary"
                    size="sm"
                    icon={<DownloadIcon class="size-4" />}
                    loading={downloading === room.id}
                    onClick={() => void download(room)}
                  >
                    Calendar invitation
                  </Button>
                )
              }
            >
              <InviteLinkField link={room.invite_url} />
              {can.edit && <InviteContacts roomId={room.id} />}
            </Card>
          )}
          {can.seeMembers && recordings && (
            <Card title="Recordings">
              <RecordingList
                scope={{ kind: 'room', roomId: room.id }}
                label={`Recordings of ${room.name}`}
                empty={
                  <EmptyState
                    icon={<RecordIcon />}
                    title="No recordings of this room"
                    description="When someone records a meeting here, the video appears in this list."
                  />
                }
              />
            </Card>
          )}
          {can.seeMembers && (
            <Card title="Meeting settings">
              <RoomSettingsPanel editable={can.changeSettings} />
            </Card>
          )}
        </div>
        <div class="flex min-w-0 flex-col gap-6">
          {can.seeMembers ? (
            <>
              <Card title="Participants">
                <ParticipantList participants={participants} />
              </Card>
              {can.manageBans && (
                <Card title="Removed people">
                  <RemovedPeopleList bans={bans} />
                </Card>
              )}
              <Card title="Meeting history">
                {history.length === 0 ? (
                  <EmptyState icon={<HistoryIcon />} title="No meetings here yet" />
                ) : (
                  <ul class="-my-3 divide-y divide-gray-100" aria-label="Meeting history">
                    {history.map((entry) => (
                      <HistoryRow
                        key={`${entry.user.id}-${entry.joined_at}`}
                        entry={entry}
                        showRoom={false}
                      />
                    ))}
                  </ul>
                )}
              </Card>
            </>
          ) : (
            <Card>
              <EmptyState
                icon={<LockIcon />}
                title="For members"
                description="Join the meeting to see who takes part, the history and the settings."
              />
            </Card>
          )}
        </div>
      </div>
      {editing && (
        <EditRoomDialog
          room={room}
          onClose={() => {
            setEditing(false);
          }}
        />
      )}
      <RoomActionDialog
        pending={action ? { kind: action, room } : null}
        onClose={() => {
          setAction(null);
        }}
        onDone={(kind) => {
          if (kind === 'delete') {
            onDeleted();
          }
        }}
      />
    </>
  );
}
