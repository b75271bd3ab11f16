package hlsharp;

/**
	The VM's timers, from Haxe: once after a delay, every interval, once after a number of frames,
	every number of frames. They are the timers the host sees as `vm.Timers` (one scheduler, one
	space of ids), so the host may stop a timer Haxe added and Haxe may stop one the host added.

	Delays and intervals are in milliseconds (`Float`, fractions count), on the VM's clock. Frames
	are counted by the host (each `vm.Update()` is one). Where callbacks run is the host's choice
	(`Timers.mode()`): on a timer thread one at a time (the default), on timer threads in parallel,
	or on the host's thread inside `vm.Update()`. A callback may add, stop and restart timers, its
	own included. An exception a callback throws is the host's to see (`vm.UnhandledException`);
	that timer stops, the others go on.

	Each function that adds a timer returns its id: a positive `Int`, unique among live timers. A
	timer is live while it may still fire or its callback runs; once it is stopped or has fired for
	the last time, its id names nothing and the functions taking an id answer `false` or `-1`.

	Bad arguments (a delay that is not a positive finite number, a frame count below 1, a null
	function) throw a Haxe exception whose message names the value, as do calls made while the VM
	is being disposed.
**/
class Timers {
	/** Calls `f` once, `ms` milliseconds from now. **/
	public static function after(ms:Float, f:Void->Void):Int {
		return afterNative(ms, f);
	}

	/**
		Calls `f` every `ms` milliseconds, the first time `ms` from now, until stopped or until
		`f` returns `false`. Due times do not drift: each is the previous one plus `ms`. When a
		call comes late by more than an interval, the due points passed are folded into that one
		call (`missedCount`), not fired in a burst; `f` never overlaps itself.
	**/
	public static function every(ms:Float, f:TimerCallback):Int {
		return everyNative(ms, f);
	}

	/** Calls `f` once, `frames` frames from now (1: the next frame). **/
	public static function afterFrames(frames:Int, f:Void->Void):Int {
		return afterFramesNative(frames, f);
	}

	/** Calls `f` every `frames` frames (1: every frame), until stopped or until `f` returns `false`. **/
	public static function everyFrames(frames:Int, f:TimerCallback):Int {
		return everyFramesNative(frames, f);
	}

	/**
		Stops the timer with id `id`: it does not fire again (a callback running now finishes).
		`false` when no live timer has the id, or it was not going to fire again.
	**/
	public static function stop(id:Int):Bool {
		return stopNative(id);
	}

	/**
		Stops every timer whose callback is `f`, compared as `Reflect.compareMethods` does (the
		same function bound to the same object: `stopHandler(player.update)` stops the timers added
		with `player.update`, not those of another player). Returns how many it stopped.
	**/
	public static function stopHandler(f:haxe.Constraints.Function):Int {
		return stopHandlerNative(f);
	}

	/**
		Stops every timer, the host's too, and waits (at most 5 seconds) for callbacks running on
		other threads to return; from then on no callback starts until a timer is added. `false`
		when one was still running at the timeout. Called from a callback, it does not wait for that one.
	**/
	public static function stopAll():Bool {
		return stopAllNative();
	}

	/**
		Makes the timer `id` due one whole delay (interval, frame count) from now, whatever it was
		doing; a running one after its call, even if that call returns `false`. `false` when no
		live timer has the id.
	**/
	public static function restart(id:Int):Bool {
		return restartNative(id);
	}

	/** Whether the timer `id` will fire again. **/
	public static function isActive(id:Int):Bool {
		return isActiveNative(id);
	}

	/** How many times the timer's callback has started; `-1` when no live timer has the id. **/
	public static function fireCount(id:Int):Int {
		return fireCountNative(id);
	}

	/** How many due points of a repeating timer were folded into later calls; `-1` when no live timer has the id. **/
	public static function missedCount(id:Int):Int {
		return missedCountNative(id);
	}

	/** How many timers will fire again. **/
	public static function activeCount():Int {
		return activeCountNative();
	}

	/**
		One line per live timer, by id, for logs: id, kind and period, when it is due, the
		callback's name as a stack trace shows it, how many times it fired (and missed). Example:
		`#3 Every 100 ms: due in 40 ms, handler $Main.tick, fired 2`.
	**/
	public static function dump():String {
		return @:privateAccess String.fromUCS2(dumpNative());
	}

	/** How many frames the host has counted so far. **/
	public static function frame():Int {
		return frameNative();
	}

	/** How the host has the callbacks run (only the host changes it). **/
	public static function mode():TimerMode {
		return cast modeNative();
	}

	@:hlNative("hlsharp", "timer_after") static function afterNative(ms:Float, f:Dynamic):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_every") static function everyNative(ms:Float, f:Dynamic):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_after_frames") static function afterFramesNative(frames:Int, f:Dynamic):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_every_frames") static function everyFramesNative(frames:Int, f:Dynamic):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_stop") static function stopNative(id:Int):Bool {
		return false;
	}

	@:hlNative("hlsharp", "timer_stop_handler") static function stopHandlerNative(f:Dynamic):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_stop_all") static function stopAllNative():Bool {
		return false;
	}

	@:hlNative("hlsharp", "timer_restart") static function restartNative(id:Int):Bool {
		return false;
	}

	@:hlNative("hlsharp", "timer_is_active") static function isActiveNative(id:Int):Bool {
		return false;
	}

	@:hlNative("hlsharp", "timer_fire_count") static function fireCountNative(id:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_missed_count") static function missedCountNative(id:Int):Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_active_count") static function activeCountNative():Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_dump") static function dumpNative():hl.Bytes {
		return null;
	}

	@:hlNative("hlsharp", "timer_frame") static function frameNative():Int {
		return 0;
	}

	@:hlNative("hlsharp", "timer_mode") static function modeNative():Int {
		return 0;
	}
}
