// The thread scaling benchmarks' program (bench/HlSharp.Bench/ThreadScalingBenchmarks.cs): allocation-heavy
// work a host runs on one thread or on several at once. Not a timed program of run.sh; main does nothing.
class Point {
	public var x:Int;
	public var y:Int;

	public function new(x:Int, y:Int) {
		this.x = x;
		this.y = y;
	}
}

class Work {
	// Short-lived objects, arrays and strings, as game logic makes each frame.
	public static function allocate(rounds:Int):Int {
		var total = 0;
		for (i in 0...rounds) {
			var points = [];
			for (j in 0...16) {
				points.push(new Point(i, j));
			}
			total += points[15].y + Std.string(i).length;
		}
		return total;
	}
}

class Main {
	static function main() {}
}
