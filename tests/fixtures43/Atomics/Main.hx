// Haxe 4.3's atomics on HashLink 1.13+: haxe.atomic.AtomicInt, AtomicBool and AtomicObject are
// hl.Atomics operations on a reference into a one-element native array (the bytecode's RefData).
// Each check prints "ok" or "FAIL"; the threaded ones race four threads on one value, so a lost
// update shows as a wrong total.
import haxe.atomic.AtomicBool;
import haxe.atomic.AtomicInt;
import haxe.atomic.AtomicObject;
import sys.thread.Lock;
import sys.thread.Thread;

class Box {
	public var n:Int;

	public function new(n:Int) {
		this.n = n;
	}
}

class Main {
	static function check(label:String, ok:Bool) {
		Sys.println((ok ? "ok   " : "FAIL ") + label);
	}

	static function race(threads:Int, body:Void->Void) {
		var done = new Lock();
		for (_ in 0...threads)
			Thread.create(() -> {
				body();
				done.release();
			});
		for (_ in 0...threads)
			done.wait();
	}

	static function main() {
		var a = new AtomicInt(5);
		check("add returns the old value", a.add(3) == 5 && a.load() == 8);
		check("sub", a.sub(10) == 8 && a.load() == -2);
		check("and, or, xor", a.and(0xFF) == -2 && a.or(0x100) == 0xFE && a.xor(0x1FF) == 0x1FE && a.load() == 1);
		check("compareExchange that matches", a.compareExchange(1, 7) == 1 && a.load() == 7);
		check("compareExchange that does not", a.compareExchange(1, 9) == 7 && a.load() == 7);
		check("exchange", a.exchange(11) == 7 && a.load() == 11);
		check("store returns the value", a.store(12) == 12 && a.load() == 12);

		var b = new AtomicBool(false);
		check("bool compareExchange", b.compareExchange(false, true) == false && b.load());
		check("bool exchange and store", b.exchange(false) && !b.load() && b.store(true) && b.load());

		var first = new Box(1), second = new Box(2);
		var o = new AtomicObject(first);
		check("object load", o.load() == first);
		check("object compareExchange by identity", o.compareExchange(new Box(1), second) == first && o.load() == first);
		check("object compareExchange that matches", o.compareExchange(first, second) == first && o.load() == second);
		check("object exchange and store", o.exchange(first) == second && o.store(second) == second && o.load() == second);

		var counter = new AtomicInt(0);
		race(4, () -> for (_ in 0...25000) counter.add(1));
		check("4 threads x 25000 adds = 100000: " + counter.load(), counter.load() == 100000);

		var cas = new AtomicInt(0);
		race(4, () -> for (_ in 0...10000) {
			while (true) {
				var seen = cas.load();
				if (cas.compareExchange(seen, seen + 2) == seen)
					break;
			}
		});
		check("4 threads x 10000 compareExchange loops = 80000: " + cas.load(), cas.load() == 80000);

		var flag = new AtomicBool(false);
		var winners = new AtomicInt(0);
		race(4, () -> if (!flag.exchange(true)) winners.add(1));
		check("exactly one thread wins the flag: " + winners.load(), winners.load() == 1);

		var arr = new hl.NativeArray<Int>(3);
		arr[1] = 40;
		var ref:hl.Ref<Int> = arr.getRef().offset(1);
		hl.Atomics.add32(ref, 2);
		check("hl.Atomics on an array element's reference: " + arr[1], arr[1] == 42 && arr[0] == 0 && arr[2] == 0);
	}
}
