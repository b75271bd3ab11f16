package hlsharp.thread;

private typedef ConditionHandle = hl.Abstract<"hlsharp_condition">;

/**
	A condition variable with its own lock, shaped as Haxe 4.3's `sys.thread.Condition`: take the
	lock (`acquire`), `wait` until another thread `signal`s or `broadcast`s, `release`.
	Waiting on, or releasing, a condition whose lock the current thread does not hold throws.
**/
class Condition {
	final handle:ConditionHandle;

	/** A new condition; a thread that waits on it blocks until signalled. **/
	public function new():Void {
		handle = allocNative();
	}

	/** Takes the condition's lock (recursive). **/
	public function acquire():Void {
		acquireNative(handle);
	}

	/** Takes the condition's lock if it is free; true if taken. **/
	public function tryAcquire():Bool {
		return tryAcquireNative(handle);
	}

	/** Releases the condition's lock. **/
	public function release():Void {
		releaseNative(handle);
	}

	/** Releases the lock, waits for a signal, and takes the lock again. **/
	public function wait():Void {
		waitNative(handle);
	}

	/** Wakes one waiting thread, if any. **/
	public function signal():Void {
		signalNative(handle);
	}

	/** Wakes every waiting thread. **/
	public function broadcast():Void {
		broadcastNative(handle);
	}

	@:hlNative("hlsharp", "condition_alloc") static function allocNative():ConditionHandle {
		return null;
	}

	@:hlNative("hlsharp", "condition_acquire") static function acquireNative(handle:ConditionHandle):Void {}

	@:hlNative("hlsharp", "condition_try_acquire") static function tryAcquireNative(handle:ConditionHandle):Bool {
		return false;
	}

	@:hlNative("hlsharp", "condition_release") static function releaseNative(handle:ConditionHandle):Void {}

	@:hlNative("hlsharp", "condition_wait") static function waitNative(handle:ConditionHandle):Void {}

	@:hlNative("hlsharp", "condition_signal") static function signalNative(handle:ConditionHandle):Void {}

	@:hlNative("hlsharp", "condition_broadcast") static function broadcastNative(handle:ConditionHandle):Void {}
}
