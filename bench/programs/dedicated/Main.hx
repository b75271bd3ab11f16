// The dedicated-thread latency benchmark's program (bench/HlSharp.Bench/InvokeLatency.cs): the
// host posts calls to add() while main either returns (calls are served by the thread's idle
// wait) or loops forever with a sleep (calls are served inside Sys.sleep). Not a timed program of run.sh.
class Main {
	public static function add(a:Int, b:Int):Int {
		return a + b;
	}

	static function main() {
		if (Sys.args()[0] == "sleep-loop") {
			while (true) {
				Sys.sleep(0.001);
			}
		}
	}
}
