import haxe.Int64;
import hl.types.Int64Map;

/** hl.types.Int64Map (std@hi64*): keys that differ only in their high half, extremes, null values, clear. **/
class Main {
	static function check(label:String, ok:Bool) {
		Sys.println((ok ? "ok " : "FAIL ") + label);
	}

	/** Keys sorted, so the output does not depend on the table's iteration order. **/
	static function sortedKeys(m:Int64Map):String {
		var keys = [for (k in m.keysArray()) k];
		keys.sort((a, b) -> Int64.compare(a, b));
		return [for (k in keys) Int64.toStr(k)].join(",");
	}

	static function main() {
		var m = new Int64Map();
		check("empty keys", m.keysArray().length == 0);
		check("empty values", m.valuesArray().length == 0);
		check("empty get", m.get(0) == null);
		check("empty exists", !m.exists(0));
		check("empty remove", !m.remove(0));

		var big = Int64.make(0x7FFFFFFF, 0xFFFFFFFF);
		var small = Int64.make(0x80000000, 0);
		var high1 = Int64.make(1, 0); // 2^32: the same low half as 0
		var high1low1 = Int64.make(1, 1); // 2^32+1: folds to the same hash as 0 in HashLink
		var minus1:Int64 = -1;
		m.set(0, "zero");
		m.set(1, "one");
		m.set(minus1, "minus one");
		m.set(big, "max");
		m.set(small, "min");
		m.set(high1, "2^32");
		m.set(high1low1, "2^32+1");
		m.set(Int64.make(0xFFFFFFFF, 0), "-2^32");
		Sys.println("keys " + sortedKeys(m));
		Sys.println("count " + m.valuesArray().length);
		Sys.println("get 0 " + m.get(0) + ", 1 " + m.get(1) + ", -1 " + m.get(minus1));
		Sys.println("get max " + m.get(big) + ", min " + m.get(small));
		Sys.println("get 2^32 " + m.get(high1) + ", 2^32+1 " + m.get(high1low1) + ", -2^32 " + m.get(Int64.make(0xFFFFFFFF, 0)));
		check("absent", m.get(2) == null && !m.exists(2) && !m.exists(Int64.make(2, 0)));
		check("exists max", m.exists(big) && m.exists(small));

		m.set(1, "uno");
		Sys.println("overwrite " + m.get(1) + " count " + m.keysArray().length);
		m.set(5, null);
		check("null value exists", m.exists(5) && m.get(5) == null);
		check("remove null value", m.remove(5) && !m.exists(5));
		check("remove 2^32", m.remove(high1));
		check("remove twice", !m.remove(high1));
		check("0 kept", m.get(0) == "zero" && m.get(high1low1) == "2^32+1");
		Sys.println("keys " + sortedKeys(m));

		var values = [for (v in m.valuesArray()) (v : String)];
		values.sort(Reflect.compare);
		Sys.println("values " + values.join("|"));
		var it = [for (v in m) (v : String)];
		check("iterator", it.length == values.length);

		var boxed = new Int64Map();
		boxed.set(7, 42);
		boxed.set(8, 2.5);
		boxed.set(9, [1, 2]);
		Sys.println("dynamic values " + boxed.get(7) + " " + boxed.get(8) + " " + boxed.get(9));

		var many = new Int64Map();
		for (i in 0...1000)
			many.set(Int64.make(i, i * 7), i);
		var sum = 0;
		for (v in many.valuesArray())
			sum += (v : Int);
		var ok = true;
		for (i in 0...1000)
			if (many.get(Int64.make(i, i * 7)) != i)
				ok = false;
		Sys.println("many " + many.keysArray().length + " sum " + sum);
		check("many get", ok);

		m.clear();
		check("clear", m.keysArray().length == 0 && !m.exists(0));
		m.set(3, "again");
		Sys.println("after clear " + sortedKeys(m) + " " + m.get(3));
	}
}
