// Camera, microphone and speaker selection and the local preview.
export {};
