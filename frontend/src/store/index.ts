export { useStore } from './use-store';
export * from './ui-store';
export * from './user';
export * from './profile';
export * from './room-store';
export * from './rooms';
export * from './room-detail';
export * from './meeting';
export * from './meeting-state';
