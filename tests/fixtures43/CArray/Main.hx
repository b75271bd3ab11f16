import hl.CArray;

class Point {
	public var x:Int;
	public var y:Float;
	public var name:String;
	public var next:Point;

	public function new() {}

	public function sum():Float
		return x + y;
}

class Point3 extends Point {
	public var z:Int;
}

@:struct class Pair {
	public var a:Int;
	public var b:haxe.Int64;

	public function new() {}
}

/**
	hl.CArray (std@alloc_carray, carray_get, carray_length). HashLink 1.17 defines only
	alloc_carray, so by default this checks allocation and its errors; with the argument "access"
	it also checks length and element access, which only HlSharp defines (the C# test
	CArrayTests runs that part).
**/
class Main {
	static function check(label:String, ok:Bool) {
		Sys.println((ok ? "ok " : "FAIL ") + label);
	}

	static function error(f:() -> Void):String {
		try {
			f();
			return "no error";
		} catch (e:Dynamic) {
			return Std.string(e);
		}
	}

	static function main() {
		var points = CArray.alloc(Point, 4);
		check("alloc", points != null);
		check("alloc empty is null, as HashLink's GC gives no block for 0 bytes", CArray.alloc(Point, 0) == null);
		check("alloc struct", CArray.alloc(Pair, 3) != null);
		check("alloc subclass", CArray.alloc(Point3, 2) != null);
		Sys.println("negative size: " + error(() -> CArray.alloc(Point, -1)));
		Sys.println("not a class: " + error(() -> @:privateAccess CArray.alloc_carray(hl.Type.get(0), 2)));
		Sys.println("dynamic type: " + error(() -> @:privateAccess CArray.alloc_carray(hl.Type.get((null : Dynamic)), 2)));
		if (Sys.args()[0] == "access")
			access();
	}

	static function access() {
		var points = CArray.alloc(Point, 4);
		Sys.println("length " + points.length + ", one " + CArray.alloc(Point, 1).length);
		var p = points[0];
		check("zeroed", p.x == 0 && p.y == 0 && p.name == null && p.next == null);
		check("typed", Std.isOfType(p, Point) && Type.getClass(p) == Point);
		for (i in 0...points.length) {
			points[i].x = i * 10;
			points[i].y = i + 0.5;
			points[i].name = "p" + i;
		}
		points[1].next = points[2];
		var sum = 0.0;
		for (i in 0...points.length)
			sum += points[i].sum();
		Sys.println("sum " + sum + ", names " + [for (i in 0...points.length) points[i].name].join(","));
		check("writes persist", points[3].x == 30 && points[3].name == "p3");
		check("same element", points[2] == points[2] && points[1].next == points[2]);
		check("distinct elements", points[0] != points[1]);
		check("method", points[2].sum() == 22.5);

		var sub = CArray.alloc(Point3, 2);
		sub[1].z = 7;
		sub[1].x = 1;
		check("subclass fields", sub[1].z == 7 && sub[1].x == 1 && sub[0].z == 0);

		var pairs = CArray.alloc(Pair, 3);
		pairs[2].a = 5;
		pairs[2].b = haxe.Int64.make(1, 2);
		check("struct writes persist", pairs[2].a == 5 && pairs[2].b == haxe.Int64.make(1, 2) && pairs[1].a == 0);

		Sys.println("index -1: " + error(() -> points[-1]));
		Sys.println("index length: " + error(() -> points[4]));
	}
}
