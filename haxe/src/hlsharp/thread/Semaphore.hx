package hlsharp.thread;

private typedef SemaphoreHandle = hl.Abstract<"hlsharp_semaphore">;

/**
	A counting semaphore, shaped as Haxe 4.3's `sys.thread.Semaphore`. A negative initial count
	throws; as in 4.3, `release` has no upper bound (beyond what an Int holds, which throws).
**/
class Semaphore {
	final handle:SemaphoreHandle;

	/** A semaphore holding `value` permits. **/
	public function new(value:Int):Void {
		handle = allocNative(value);
	}

	/** Takes a permit, waiting for one as long as it takes. **/
	public function acquire():Void {
		acquireNative(handle);
	}

	/** Takes a permit if one is free, or frees up within `timeout` seconds when given; true if taken. **/
	public function tryAcquire(?timeout:Float):Bool {
		return tryAcquireNative(handle, timeout);
	}

	/** Adds a permit. **/
	public function release():Void {
		releaseNative(handle);
	}

	@:hlNative("hlsharp", "semaphore_alloc") static function allocNative(value:Int):SemaphoreHandle {
		return null;
	}

	@:hlNative("hlsharp", "semaphore_acquire") static function acquireNative(handle:SemaphoreHandle):Void {}

	@:hlNative("hlsharp", "semaphore_try_acquire") static function tryAcquireNative(handle:SemaphoreHandle, timeout:Null<Float>):Bool {
		return false;
	}

	@:hlNative("hlsharp", "semaphore_release") static function releaseNative(handle:SemaphoreHandle):Void {}
}
