// The virtual access benchmarks' program (bench/HlSharp.Bench/VirtualAccessBenchmarks.cs): each
// function runs one kind of field read or call n times over objects made in main, so a host call
// costs little next to the loop. Not a timed program of run.sh.
typedef Point = {
	var x:Int;
	var y:Float;
}

typedef Getter = {
	function get(k:Int):Int;
}

interface IGetter {
	function get(k:Int):Int;
}

class Cell implements IGetter {
	public var x:Int;
	public var y:Float;

	public function new(x:Int) {
		this.x = x;
		this.y = x / 2;
	}

	public function get(k:Int):Int {
		return x + k;
	}
}

class Main {
	static var cell:Cell;
	static var anon:Point;
	static var viewed:Point;
	static var dyn:Dynamic;
	static var iface:IGetter;
	static var anonGetter:Getter;
	static var classGetter:Getter;

	public static function main() {
		cell = new Cell(3);
		anon = {x: 3, y: 1.5};
		viewed = cell;
		dyn = {x: 3, y: 1.5};
		iface = cell;
		var base = 3;
		anonGetter = {get: function(k:Int) return base + k};
		classGetter = cell;
	}

	/** A class field, read with the class's static type. */
	public static function classField(n:Int):Int {
		var c = cell, s = 0;
		for (i in 0...n) s += c.x;
		return s;
	}

	/** A field of an anonymous structure, read through its typedef (a virtual). */
	public static function anonField(n:Int):Int {
		var p = anon, s = 0;
		for (i in 0...n) s += p.x;
		return s;
	}

	/** A field of a class instance, read through a typedef (a virtual over the instance). */
	public static function instanceField(n:Int):Int {
		var p = viewed, s = 0;
		for (i in 0...n) s += p.x;
		return s;
	}

	/** A field read from a Dynamic. */
	public static function dynamicField(n:Int):Int {
		var d = dyn, s = 0;
		for (i in 0...n) {
			var v:Int = d.x;
			s += v;
		}
		return s;
	}

	/** A method called through an interface. */
	public static function interfaceCall(n:Int):Int {
		var g = iface, s = 0;
		for (i in 0...n) s += g.get(i);
		return s;
	}

	/** A closure field of an anonymous structure, called as a method through its typedef. */
	public static function anonCall(n:Int):Int {
		var g = anonGetter, s = 0;
		for (i in 0...n) s += g.get(i);
		return s;
	}

	/** A class instance's method, called through a typedef (class to anonymous structure). */
	public static function classToAnonCall(n:Int):Int {
		var g = classGetter, s = 0;
		for (i in 0...n) s += g.get(i);
		return s;
	}
}
