import { useEffect, useState } from 'preact/hooks';
import type { PublicUser } from '@/api';
import { errorMessage } from '@/api';
import { api } from '@/store';
import { Avatar, Badge, Button, Input, SearchIcon, Spinner, UserPlusIcon } from '@/ui';
import { personName } from './person';
import { useDebouncedValue } from './use-debounced-value';

export const SEARCH_DELAY_MS = 300;
export const MIN_QUERY_LENGTH = 2;
const RESULT_LIMIT = 10;
// The server answers a hidden person exactly as nobody, so the page cannot say which it was.
const NOT_FOUND_HINT =
  'People appear here only if they let others find them or are already in your contacts.';

type Results =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'done'; people: PublicUser[]; total: number }
  | { state: 'failed'; message: string };

export interface PeopleSearchProps {
  /** Ids already in the contact list (and the user's own), shown as added. */
  knownIds: ReadonlySet<string>;
  selfId: string;
  onAdd: (person: PublicUser) => Promise<unknown>;
}

function ResultRow({
  person,
  added,
  onAdd,
}: {
  person: PublicUser;
  added: boolean;
  onAdd: () => Promise<unknown>;
}) {
  const [adding, setAdding] = useState(false);
  const name = personName(person);
  return (
    <li class="flex items-center gap-3 py-2.5">
      <Avatar name={name} src={person.avatar_url} size="sm" />
      <span class="min-w-0 flex-1 truncate text-sm font-medium text-gray-900">{name}</span>
      {added ? (
        <Badge>In contacts</Badge>
      ) : (
        <Button
          size="sm"
          variant="secondary"
          icon={<UserPlusIcon class="size-4" />}
          loading={adding}
          aria-label={`Add ${name}`}
          onClick={() => {
            setAdding(true);
            void onAdd().finally(() => {
              setAdding(false);
            });
          }}
        >
          Add
        </Button>
      )}
    </li>
  );
}

/**
 * Finds people by the start of their name or their whole email address, as the user types.
 * Only people who let others find them, and the user's own contacts, are ever found.
 */
export function PeopleSearch({ knownIds, selfId, onAdd }: PeopleSearchProps) {
  const [query, setQuery] = useState('');
  const settled = useDebouncedValue(query.trim(), SEARCH_DELAY_MS);
  const [results, setResults] = useState<Results>({ state: 'idle' });

  useEffect(() => {
    if (settled.length < MIN_QUERY_LENGTH) {
      setResults({ state: 'idle' });
      return;
    }
    const controller = new AbortController();
    setResults({ state: 'searching' });
    api.users.search({ q: settled, limit: RESULT_LIMIT, signal: controller.signal }).then(
      (page) => {
        const people = page.items.filter((person) => person.id !== selfId);
        setResults({ state: 'done', people, total: page.total });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setResults({ state: 'failed', message: errorMessage(error) });
        }
      },
    );
    return () => {
      controller.abort();
    };
  }, [settled, selfId]);

  return (
    <div>
      <Input
        label="Find people"
        type="search"
        placeholder="Name or email"
        autoComplete="off"
        leading={<SearchIcon />}
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
        }}
        hint={`Type at least ${MIN_QUERY_LENGTH} characters of a name, or a whole email address.`}
      />
      <div aria-live="polite" class="mt-2">
        {results.state === 'searching' && (
          <p class="flex items-center gap-2 py-2 text-sm text-gray-600">
            <Spinner /> Searching…
          </p>
        )}
        {results.state === 'failed' && (
          <p role="alert" class="py-2 text-sm text-error-600">
            {results.message}
          </p>
        )}
        {results.state === 'done' && results.people.length === 0 && (
          <div class="py-2 text-sm text-gray-600">
            <p>No one found for “{settled}”.</p>
            <p class="mt-1">{NOT_FOUND_HINT}</p>
          </div>
        )}
        {results.state === 'done' && results.people.length > 0 && (
          <ul aria-label="Search results" class="divide-y divide-gray-100">
            {results.people.map((person) => (
              <ResultRow
                key={person.id}
                person={person}
                added={knownIds.has(person.id)}
                onAdd={() => onAdd(person)}
              />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
