// The threading benchmarks' program (bench/HlSharp.Bench/ThreadingBenchmarks.cs), compiled with
// the hlsharp haxelib (haxe/src). Not a timed program of run.sh: the host calls these functions.
import hlsharp.thread.Channel;
import hlsharp.thread.Task;
import sys.thread.Mutex;

class Threads {
	static final mutex = new Mutex();

	/** `pairs` uncontended acquire/release pairs of one sys.thread.Mutex. **/
	public static function mutexPairs(pairs:Int):Int {
		var m = mutex;
		for (i in 0...pairs) {
			m.acquire();
			m.release();
		}
		return pairs;
	}

	/** Sends `messages` Ints from this thread to one consumer thread through a channel (capacity 0: unbounded); returns their sum. **/
	public static function channelMessages(messages:Int, capacity:Int):Int {
		var channel = new Channel<Int>(capacity);
		var consumer = Task.spawn(() -> {
			var sum = 0;
			for (m in channel)
				sum += m;
			return sum;
		});
		for (i in 0...messages)
			channel.send(i);
		channel.close();
		return consumer.join();
	}
}

class Main {
	static function main() {}
}
