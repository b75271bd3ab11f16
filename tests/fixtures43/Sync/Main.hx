// Haxe 4.3's additions to sys.thread on HashLink: Condition and Semaphore (Haxe 4.2.5's standard
// library has neither). Each check prints "ok" or "FAIL". Thread names are left out: hl on Linux
// reads every name back as null, where HlSharp returns the name set.
import sys.thread.Condition;
import sys.thread.Lock;
import sys.thread.Semaphore;
import sys.thread.Thread;

class Main {
	static function check(label:String, ok:Bool) {
		Sys.println((ok ? "ok   " : "FAIL ") + label);
	}

	static function main() {
		var s = new Semaphore(2);
		check("a semaphore of 2 gives two", s.tryAcquire() && s.tryAcquire());
		check("and not a third", !s.tryAcquire());
		s.release();
		check("a released one is taken again", s.tryAcquire(0.01));
		check("tryAcquire with a timeout gives up", !s.tryAcquire(0.01));

		// Producer and consumer on a condition: the consumer waits until the value is set.
		var c = new Condition();
		var value = 0;
		var done = new Lock();
		Thread.create(() -> {
			c.acquire();
			while (value == 0)
				c.wait();
			var seen = value;
			c.release();
			check("the waiter sees the value signalled: " + seen, seen == 42);
			done.release();
		});
		c.acquire();
		value = 42;
		c.signal();
		c.release();
		check("the waiter finished", done.wait(10));

		// broadcast wakes every waiter
		var waiting = 0, woken = 0, go = false;
		var all = new Lock();
		for (_ in 0...3)
			Thread.create(() -> {
				c.acquire();
				waiting++;
				while (!go)
					c.wait();
				woken++;
				c.release();
				all.release();
			});
		while (true) {
			c.acquire();
			var n = waiting;
			c.release();
			if (n == 3)
				break;
			Sys.sleep(0.001);
		}
		c.acquire();
		go = true;
		c.broadcast();
		c.release();
		var finished = true;
		for (_ in 0...3)
			finished = finished && all.wait(10);
		check("broadcast wakes all three: " + woken, finished && woken == 3);
	}
}
