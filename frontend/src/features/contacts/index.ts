export { ContactsPanel } from './ContactsPanel';
export { MIN_QUERY_LENGTH, SEARCH_DELAY_MS } from './PeopleSearch';
