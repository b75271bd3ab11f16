package hlsharp;

/**
	What a repeating timer (`Timers.every`, `Timers.everyFrames`) calls: a function of no
	arguments that returns `Bool` (return `false` to stop the timer, `true` to go on) or returns
	nothing (it goes on until stopped). Both convert implicitly:

	```haxe
	Timers.every(100, () -> trace("tick"));          // Void->Void: runs until stopped
	Timers.every(100, () -> ++count < 10);           // Void->Bool: runs 10 times
	```

	The function itself is what the timer holds, not a wrapper around it, so
	`Timers.stopHandler(f)` finds it as `Reflect.compareMethods` would.
**/
abstract TimerCallback(Dynamic) {
	inline function new(f:Dynamic) {
		this = f;
	}

	/** A function that says whether to go on: `false` stops the timer. **/
	@:from static inline function fromBool(f:Void->Bool):TimerCallback {
		return new TimerCallback(f);
	}

	/** A function that returns nothing: the timer goes on until stopped. **/
	@:from static inline function fromVoid(f:Void->Void):TimerCallback {
		return new TimerCallback(f);
	}
}
