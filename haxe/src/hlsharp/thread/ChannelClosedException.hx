package hlsharp.thread;

/**
	Thrown by a `Channel` that is closed: when sending to it, when closing it again, and when
	receiving from it once it is also drained.
**/
class ChannelClosedException extends haxe.Exception {}
