// The call benchmarks' program (bench/HlSharp.Bench/CallBenchmarks.cs): one loop per kind of call,
// each making n calls of that kind to a callee that does almost nothing, so the loop's time is
// the call's. Not a timed program of run.sh; main does nothing that takes time.
class Shape {
	public function new() {}

	public function area(k:Int):Int {
		return k + 1;
	}

	public function scale(k:Int):Int {
		return k + 2;
	}
}

class Square extends Shape {
	override public function scale(k:Int):Int {
		return k + 3;
	}
}

class Main {
	static var shape:Shape = new Shape();
	static var square:Shape = new Square();

	static function next(k:Int):Int {
		return k + 1;
	}

	/** Static calls: a callee known when the caller compiles. */
	public static function staticCalls(n:Int):Int {
		var k = 0;
		for (i in 0...n) k = next(k);
		return k;
	}

	/** Instance calls: a method of the receiver's class found through its method table. */
	public static function instanceCalls(n:Int):Int {
		var s = shape;
		var k = 0;
		for (i in 0...n) k = s.area(k);
		return k;
	}

	/** Override calls: a subclass's method through a variable of the base class. */
	public static function overrideCalls(n:Int):Int {
		var s = square;
		var k = 0;
		for (i in 0...n) k = s.scale(k);
		return k;
	}

	/** Closure calls: a local function that captures a variable. */
	public static function closureCalls(n:Int):Int {
		var step = n > 0 ? 1 : 2;
		var f = function(k:Int):Int return k + step;
		var k = 0;
		for (i in 0...n) k = f(k);
		return k;
	}

	/** Native calls: a standard native (math_sqrt) through its adapter. */
	public static function nativeCalls(n:Int):Float {
		var x = 0.0;
		for (i in 0...n) x = Math.sqrt(x + 4.0);
		return x;
	}

	static function main() {}
}
