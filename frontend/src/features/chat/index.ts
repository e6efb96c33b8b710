// In-meeting chat: message list and composer.
export {};
