package hlsharp.thread;

private typedef TaskHandle = hl.Abstract<"hlsharp_task">;

/**
	A thread with a result. `Task.spawn(f)` runs `f` on a new Haxe thread; `join()` waits for it
	and returns what `f` returned, or throws again what `f` threw.

	Misuse is a Haxe exception saying what was wrong: a thread joining itself, joining a detached
	task, reading a result before the task ended.
**/
class Task<T> {
	final handle:TaskHandle;

	/** A small positive number, unique within the VM, that names the task's thread in messages. **/
	public var id(get, never):Int;

	function new(handle:TaskHandle) {
		this.handle = handle;
	}

	/**
		Starts `f` on a new thread and returns its task at once. `name`, if given, names the
		thread (deadlock reports use it).
	**/
	public static function spawn<T>(f:Void->T, ?name:String):Task<T> {
		return new Task(spawnNative(cast f, name == null ? null : @:privateAccess name.bytes, name == null ? 0 : name.length));
	}

	/**
		Waits for the task to end and returns its result, or throws again the exception that ended
		it. With `timeout` (seconds), returns null if the task is still running when it passes
		(`isAlive()` then says true). Joining the current thread's own task throws.
	**/
	public function join(?timeout:Float):Null<T> {
		if (!waitNative(handle, timeout))
			return null;
		return cast resultNative(handle);
	}

	/** Waits for the task to end, at most `timeout` seconds if given; true if it ended. **/
	public function wait(?timeout:Float):Bool {
		return waitNative(handle, timeout);
	}

	/** Whether the task's thread still runs. **/
	public function isAlive():Bool {
		return aliveNative(handle);
	}

	/**
		Lets the task run on unjoined: its result is dropped, and an exception that ends it is
		reported as an uncaught exception on a thread. Joining it afterwards throws.
	**/
	public function detach():Void {
		detachNative(handle);
	}

	function get_id():Int {
		return idNative(handle);
	}

	/** Gives the rest of the current thread's time slice to other threads. **/
	public static function yield():Void {
		yieldNative();
	}

	/** Sleeps the current thread for `seconds`; `Sys.exit` and the VM's disposal end the sleep. **/
	public static function sleep(seconds:Float):Void {
		sleepNative(seconds);
	}

	/** The id of the current thread, as `Task.id` numbers threads. **/
	public static function currentId():Int {
		return currentIdNative();
	}

	/** Names the current thread (deadlock reports use the name); null removes the name. **/
	public static function setCurrentName(name:Null<String>):Void {
		setCurrentNameNative(name == null ? null : @:privateAccess name.bytes, name == null ? 0 : name.length);
	}

	/** The current thread's name, or null. **/
	public static function currentName():Null<String> {
		var bytes = currentNameNative();
		return bytes == null ? null : @:privateAccess String.fromUCS2(bytes);
	}

	@:hlNative("hlsharp", "task_spawn") static function spawnNative(f:Void->Dynamic, name:hl.Bytes, nameLength:Int):TaskHandle {
		return null;
	}

	@:hlNative("hlsharp", "task_wait") static function waitNative(handle:TaskHandle, timeout:Null<Float>):Bool {
		return false;
	}

	@:hlNative("hlsharp", "task_result") static function resultNative(handle:TaskHandle):Dynamic {
		return null;
	}

	@:hlNative("hlsharp", "task_is_alive") static function aliveNative(handle:TaskHandle):Bool {
		return false;
	}

	@:hlNative("hlsharp", "task_detach") static function detachNative(handle:TaskHandle):Void {}

	@:hlNative("hlsharp", "task_id") static function idNative(handle:TaskHandle):Int {
		return 0;
	}

	@:hlNative("hlsharp", "thread_yield") static function yieldNative():Void {}

	@:hlNative("hlsharp", "thread_sleep") static function sleepNative(seconds:Float):Void {}

	@:hlNative("hlsharp", "thread_current_id") static function currentIdNative():Int {
		return 0;
	}

	@:hlNative("hlsharp", "thread_set_current_name") static function setCurrentNameNative(name:hl.Bytes, length:Int):Void {}

	@:hlNative("hlsharp", "thread_current_name") static function currentNameNative():hl.Bytes {
		return null;
	}
}
