package hlsharp;

/**
	How the VM runs due timer callbacks, as the host set it (`vm.Timers.Mode` in C#; Haxe code
	reads it with `Timers.mode()` and cannot change it: the host owns the loop and the threads).
**/
enum abstract TimerMode(Int) {
	/** Callbacks run in parallel on timer threads: two timers' callbacks may overlap (one timer's never does). **/
	var Threaded = 0;

	/** The default: one timer thread runs the callbacks one at a time, in due order. **/
	var Serialized = 1;

	/** Callbacks run on the host's thread, inside `vm.Update()` or `vm.Timers.Pump`, one at a time. **/
	var Pumped = 2;

	public function toString():String {
		var mode:TimerMode = cast this;
		return switch (mode) {
			case Threaded: "Threaded";
			case Serialized: "Serialized";
			case Pumped: "Pumped";
		}
	}
}
