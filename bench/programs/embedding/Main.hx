// The embedding benchmarks' program (bench/HlSharp.Bench/EmbeddingBenchmarks.cs): small functions
// and fields a host reaches through HlVm. Not a timed program of run.sh; main does nothing that
// takes time.
class Point {
	public var x:Int;
	public var y:Int;

	public function new(x:Int, y:Int) {
		this.x = x;
		this.y = y;
	}
}

class Game {
	public static var score:Int = 0;

	public static function add(a:Int, b:Int):Int {
		return a + b;
	}

	public static function echo(s:String):String {
		return s;
	}

	public static function greet(s:String):String {
		return "hi " + s;
	}
}

class Main {
	static function main() {
		Game.score = 42;
	}
}
