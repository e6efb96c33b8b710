// The in-call screen: video grid, meeting controls and participant list.
export {};
