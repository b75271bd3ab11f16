package hlsharp.thread;

private typedef LockHandle = hl.Abstract<"hlsharp_lock">;

/**
	A recursive lock found by its name: `NamedLock.get("db")` is the same lock everywhere in the
	VM, for the life of the VM. Unlocking a lock the current thread does not hold throws.
**/
class NamedLock {
	/** The lock's name. **/
	public final name:String;

	final handle:LockHandle;

	function new(name:String, handle:LockHandle) {
		this.name = name;
		this.handle = handle;
	}

	/** The lock named `name`, made on first use. **/
	public static function get(name:String):NamedLock {
		return new NamedLock(name, getNative(@:privateAccess name.bytes, name.length));
	}

	/** Takes the lock, waiting as long as it takes. **/
	public function lock():Void {
		lockNative(handle);
	}

	/**
		Takes the lock if it is free, or becomes free within `timeout` seconds when one is given;
		true if the current thread now holds it.
	**/
	public function tryLock(?timeout:Float):Bool {
		return tryLockNative(handle, timeout);
	}

	/** Releases one hold of the lock; throws if the current thread does not hold it. **/
	public function unlock():Void {
		unlockNative(handle);
	}

	/** Whether the current thread holds the lock. **/
	public function isHeld():Bool {
		return heldNative(handle);
	}

	@:hlNative("hlsharp", "named_lock_get") static function getNative(name:hl.Bytes, length:Int):LockHandle {
		return null;
	}

	@:hlNative("hlsharp", "named_lock_lock") static function lockNative(handle:LockHandle):Void {}

	@:hlNative("hlsharp", "named_lock_try_lock") static function tryLockNative(handle:LockHandle, timeout:Null<Float>):Bool {
		return false;
	}

	@:hlNative("hlsharp", "named_lock_unlock") static function unlockNative(handle:LockHandle):Void {}

	@:hlNative("hlsharp", "named_lock_held") static function heldNative(handle:LockHandle):Bool {
		return false;
	}
}
