package hlsharp.thread;

/**
	One recursive lock for the whole VM, like a `CRITICAL SECTION` block: `Critical.run(f)` runs
	`f` while no other thread runs inside `Critical.run`, and returns what `f` returns. The lock is
	released however `f` ends, exception included; a thread already inside may enter again.
**/
class Critical {
	public static function run<T>(f:Void->T):T {
		return cast runNative(cast f);
	}

	@:hlNative("hlsharp", "critical_run") static function runNative(f:Void->Dynamic):Dynamic {
		return null;
	}
}
