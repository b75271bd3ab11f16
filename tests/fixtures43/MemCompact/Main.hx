import hl.Api;

class Node {
	public var id:Int;
	public var weight:Float;
	public var next:Node;
	public var other:Node;
	public var data:Dynamic;

	public function new(id:Int) {
		this.id = id;
	}
}

class Holder {
	public var f:Void->Void;

	public function new() {}
}

class WithMap {
	public var m = new Map<String, Int>();

	public function new() {}
}

@:struct class Inline {
	public var a:Int;

	public function new() {}
}

class WithType {
	public var t:hl.Type;

	public function new() {}
}

class Boxes {
	public var maybe:Null<Int>;
	public var big:haxe.Int64;
	public var flag:Bool;
	public var small:hl.UI8;

	public function new() {}
}

class WithStruct {
	public var s:Inline;

	public function new() {}
}

enum Shape {
	Empty;
	Circle(r:Float);
	Link(n:Node, s:Shape);
}

/** hl.Api.compact (?std@mem_compact): a deep copy of a graph, keeping sharing, cycles and excluded values. **/
class Main {
	static function check(label:String, ok:Bool) {
		Sys.println((ok ? "ok " : "FAIL ") + label);
	}

	static function compact<T>(v:T, ?exclude:Array<Dynamic>):{copy:T, count:Int} {
		var count = -1;
		var ex:hl.NativeArray<Dynamic> = null;
		if (exclude != null) {
			ex = new hl.NativeArray(exclude.length);
			for (i in 0...exclude.length)
				ex[i] = exclude[i];
		}
		var copy = Api.compact(v, ex, 0, count);
		return {copy: copy, count: count};
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
		// one object
		var a = new Node(1);
		a.weight = 2.5;
		var r = compact(a);
		Sys.println("one: count " + r.count);
		check("one copied", r.copy != a && r.copy.id == 1 && r.copy.weight == 2.5 && r.copy.next == null);
		r.copy.id = 99;
		check("original untouched", a.id == 1);

		// a cycle of three
		var n1 = new Node(1), n2 = new Node(2), n3 = new Node(3);
		n1.next = n2;
		n2.next = n3;
		n3.next = n1;
		var r = compact(n1);
		var c = r.copy;
		Sys.println("cycle: count " + r.count);
		check("cycle kept", c.next.next.next == c);
		check("cycle copied", c != n1 && c.next != n2 && c.next.next != n3);
		check("cycle ids", c.id == 1 && c.next.id == 2 && c.next.next.id == 3);
		var self = new Node(7);
		self.next = self;
		var r = compact(self);
		check("self cycle", r.copy.next == r.copy && r.copy != self && r.count == 1);

		// sharing
		var root = new Node(0), shared = new Node(5);
		root.next = shared;
		root.other = shared;
		var r = compact(root);
		Sys.println("shared: count " + r.count);
		check("sharing kept", r.copy.next == r.copy.other && r.copy.next != shared);

		// exclude
		var r = compact(root, [shared]);
		Sys.println("exclude: count " + r.count);
		check("excluded kept", r.copy.next == shared && r.copy.other == shared && r.copy != root);
		var r = compact(n1, [n3]);
		Sys.println("exclude in cycle: count " + r.count);
		check("excluded in cycle", r.copy.next.next == n3 && n3.next == n1 && r.copy.next != n2);

		// a long list (no recursion limit)
		var head = new Node(0);
		var cur = head;
		for (i in 1...100000) {
			cur.next = new Node(i);
			cur = cur.next;
		}
		var r = compact(head);
		var len = 0, ok = true;
		var p = r.copy;
		while (p != null) {
			if (p.id != len)
				ok = false;
			len++;
			p = p.next;
		}
		Sys.println("long list: count " + r.count + ", length " + len);
		check("long list ids", ok);

		// dynamic slots: numbers are boxes there
		var d = new Node(1);
		d.data = 42;
		var r = compact(d);
		Sys.println("boxed int: count " + r.count + ", value " + r.copy.data);

		// enums
		var r = compact(Circle(1.5));
		Sys.println("enum: count " + r.count + ", " + r.copy);
		var e = new Node(3);
		e.data = Link(e, Empty);
		var r = compact(e);
		Sys.println("enum with a cycle: count " + r.count);
		switch (r.copy.data : Shape) {
			case Link(n, s):
				check("enum cycle kept", n == r.copy && s == Empty);
			default:
				check("enum kind", false);
		}
		var r = compact(Link(a, Link(a, Empty)));
		Sys.println("nested enum: count " + r.count);

		// native arrays
		var na = new hl.NativeArray<Int>(4);
		for (i in 0...4)
			na[i] = i * i;
		var r = compact(na);
		Sys.println("int native array: count " + r.count + ", " + [for (i in 0...4) r.copy[i]].join(","));
		check("int native array copied", r.copy != na);
		var no = new hl.NativeArray<Node>(3);
		no[0] = n1;
		no[1] = n1;
		var r = compact(no);
		Sys.println("object native array: count " + r.count);
		check("object native array", r.copy[0] == r.copy[1] && r.copy[0] != n1 && r.copy[2] == null && r.copy[0].next.id == 2);

		// Haxe arrays and bytes
		var ints = [1, 2, 3];
		var r = compact(ints);
		Sys.println("Array<Int>: count " + r.count + ", " + r.copy);
		r.copy[0] = 100;
		check("Array<Int> copied", ints[0] == 1);
		var nodes = [n1, n2, n1];
		var r = compact(nodes);
		Sys.println("Array<Node>: count " + r.count);
		check("Array<Node>", r.copy[0] == r.copy[2] && r.copy[0] != n1 && r.copy[1].next.next == r.copy[0]);
		var b = haxe.io.Bytes.alloc(5);
		b.set(0, 9);
		var r = compact(b);
		Sys.println("Bytes: count " + r.count + ", " + r.copy.length + " " + r.copy.get(0));
		r.copy.set(0, 1);
		check("Bytes copied", b.get(0) == 9);

		// strings: a literal's characters stay in the module, a built string's are copied
		var s = new Node(1);
		s.data = "literal";
		var r = compact(s);
		Sys.println("literal string: count " + r.count + ", " + r.copy.data);
		s.data = "built " + Std.string(s.id);
		var r = compact(s);
		Sys.println("built string: count " + r.count + ", " + r.copy.data);

		// anonymous structures
		var anon = {x: 1, y: 2.5, name: "anon", node: n2};
		var r = compact(anon);
		Sys.println("anon: count " + r.count + ", " + r.copy.x + " " + r.copy.y + " " + r.copy.name + " " + r.copy.node.id);
		check("anon copied", r.copy != anon && r.copy.node != n2 && r.copy.node.next.next == r.copy.node.next.next.next.next.next);

		// dynamic objects built by reflection
		var o:Dynamic = {};
		Reflect.setField(o, "node", n1);
		Reflect.setField(o, "text", "t" + Std.string(1));
		var r:{copy:Dynamic, count:Int} = compact(o);
		Sys.println("reflected: count " + r.count + ", " + r.copy.node.id + " " + r.copy.text);
		check("reflected copied", r.copy != o && r.copy.node != n1 && r.copy.node.next.next.next == r.copy.node);
		Reflect.setField(o, "num", 5);
		var r:{copy:Dynamic, count:Int} = compact(o);
		check("reflected number", r.copy.num == 5);

		// (a virtual over a class instance is left out: HashLink fails on it with "assert", HlSharp copies the instance)

		// typed slots of other kinds
		var bx = new Boxes();
		bx.maybe = 12;
		bx.big = haxe.Int64.make(3, 4);
		bx.flag = true;
		bx.small = 200;
		var r = compact(bx);
		Sys.println("Null<Int> and plain fields: count " + r.count + ", " + r.copy.maybe + " " + haxe.Int64.toStr(r.copy.big) + " " + r.copy.flag + " " + r.copy.small);
		bx.maybe = null;
		var r = compact(bx);
		Sys.println("null Null<Int>: count " + r.count + ", " + r.copy.maybe);
		var dyns:Array<Dynamic> = [1, "two" + Std.string(2), n3, null, 4.5];
		var r = compact(dyns);
		Sys.println("Array<Dynamic>: count " + r.count + ", " + r.copy[0] + " " + r.copy[1] + " " + r.copy[2].id + " " + r.copy[3] + " " + r.copy[4]);
		var r = compact(42);
		Sys.println("root int: count " + r.count + ", " + r.copy);
		var r = compact(Empty);
		Sys.println("root constant enum: count " + r.count + ", " + r.copy);
		var r = Api.compact(n1, null, 6, null);
		check("flags and no count", r != n1 && r.next.next.next == r);

		// what cannot be copied
		var h = new Holder();
		Sys.println("null closure: " + error(() -> compact(h)));
		h.f = () -> {};
		Sys.println("closure: " + error(() -> compact(h)));
		var cl = new Node(1);
		cl.data = function() {};
		Sys.println("closure in dynamic: " + error(() -> compact(cl)));
		Sys.println("map: " + error(() -> compact(new WithMap())));
		Sys.println("struct field: " + error(() -> compact(new WithStruct())));
		Sys.println("type field: " + error(() -> compact(new WithType())));
		Sys.println("closure in an array: " + error(() -> compact([() -> 1])));
		Sys.println("closure root: " + error(() -> compact(() -> 1)));
	}
}
