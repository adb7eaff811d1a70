/**
 * The "databus/files" module: the folder drivers as classes plugins extend (`class OrderFolder
 * extends FolderPuller<Order>`), with their option and payload types. Re-exports only; the host
 * registers it as a virtual module beside "databus", and `databus types` declares it for editors.
 */
export { default as Document, type FileFacts, type PassengerClass } from "./passenger-document";
export { default as FolderPuller, type FolderPullerOptions } from "./puller-folder";
export { default as FolderPusher, type FolderPusherOptions } from "./pusher-folder";
