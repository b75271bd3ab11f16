import haxe.macro.Context;
import haxe.macro.Expr;

/**
 * Makes the benchmark program large without committing a large source: `@:build(Generated.build(n))`
 * on Main defines classes Gen0 .. Gen{n-1} and adds `Main.runGenerated()`, which runs each once.
 * The classes differ in their constants and alternate between two shapes, so the bytecode has
 * the mix of opcodes, types, closures, enum matches and traps that hand-written code has, not
 * n copies of one function.
 */
class Generated {
    public static macro function build(count:Int):Array<Field> {
        for (i in 0...count)
            Context.defineType(makeClass(i));

        var calls = [for (i in 0...count) {
            var path:TypePath = {pack: [], name: "Gen" + i};
            macro total = (total * 31 + new $path($v{i}).run()) | 0;
        }];
        var fields = Context.getBuildFields();
        fields.push({
            name: "runGenerated",
            access: [AStatic],
            kind: FFun({args: [], ret: macro :Int, expr: macro {
                var total = 0;
                $b{calls};
                return total;
            }}),
            pos: Context.currentPos(),
        });
        return fields;
    }

    #if macro
    static function makeClass(i:Int):TypeDefinition {
        var name = "Gen" + i;
        var a = 3 + i % 7;
        var b = 11 + i % 13;
        var label = "gen-" + i;
        var c = i % 2 == 0
            ? macro class $name extends GenBase implements IGen {
                var values:Array<Int>;
                var names:Map<String, Int>;
                var scale:Float;

                public function new(seed:Int) {
                    super(seed);
                    values = [for (k in 0...$v{a}) (k * $v{b} + seed) % 97];
                    names = new Map();
                    scale = $v{a} / $v{b};
                }

                public function run():Int {
                    var n = compute($v{b}) + describe().length + closures() + shapes() + guarded($v{a});
                    return n ^ hash(label());
                }

                override public function label():String return $v{label};

                function compute(n:Int):Int {
                    var acc = seed;
                    for (k in 0...n) {
                        switch (k % $v{a}) {
                            case 0: acc += k * $v{b};
                            case 1: acc -= k >> 1;
                            case 2: acc ^= k << 3;
                            case 3: acc = acc * 7 % 1000003;
                            default: acc += values[k % values.length];
                        }
                    }
                    var f = 0.0;
                    while (f < $v{b}) f += scale + 0.5;
                    return acc + Std.int(f);
                }

                function describe():String {
                    var b = new StringBuf();
                    b.add($v{label});
                    for (v in values) {
                        b.add(":");
                        b.add(StringTools.hex(v, 2));
                    }
                    names.set($v{label}, values.length);
                    for (key in names.keys()) b.add(key.toUpperCase());
                    return b.toString() + " " + Std.string(scale) + " " + values.join(",");
                }

                function closures():Int {
                    var offset = $v{a};
                    var mapped = values.map(v -> v + offset).filter(v -> v % 2 == $v{i % 2});
                    var adder = function(x:Int, y:Int) return x * $v{b} + y;
                    var sum = 0;
                    for (v in mapped) sum = adder(sum, v) % 65521;
                    return sum + Lambda.count(values, v -> v > $v{b});
                }

                function shapes():Int {
                    var list = [Shape.Circle($v{a}), Shape.Rect($v{a}, $v{b}), Shape.Poly([{x: 0.0, y: 0.0}, {x: $v{b} + 0.0, y: 1.0}, {x: 1.0, y: $v{a} + 0.0}])];
                    var total = 0.0;
                    for (s in list) {
                        total += switch s {
                            case Circle(r): r * r;
                            case Rect(w, h): w + h;
                            case Poly(points): points.length * $v{a};
                        }
                    }
                    return Std.int(total);
                }

                function guarded(n:Int):Int {
                    try {
                        if (n > $v{a + 100}) throw "too big: " + n;
                        var anon = {count: n, name: $v{label}, ratio: scale};
                        return anon.count + anon.name.length + Std.int(anon.ratio);
                    } catch (e:String) {
                        return e.length;
                    }
                }
            }
            : macro class $name extends GenBase implements IGen {
                var table:haxe.ds.IntMap<String>;
                var points:Array<Point>;
                var dyn:Dynamic;

                public function new(seed:Int) {
                    super(seed);
                    table = new haxe.ds.IntMap();
                    for (k in 0...$v{b}) table.set(k * $v{a}, $v{label} + k);
                    points = [for (k in 0...$v{a}) new Point(k, k * $v{b})];
                    dyn = {id: seed, tag: $v{label}, list: [1, 2, 3]};
                }

                public function run():Int {
                    return walk() + lookups() + reflect() + parse($v{"n=" + i + ";k=" + b}) + bits(seed) + hash(label());
                }

                override public function label():String return $v{label} + "/odd";

                function walk():Int {
                    var d = 0.0;
                    for (k in 1...points.length) {
                        var p = points[k - 1];
                        var q = points[k];
                        d += Math.sqrt((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y));
                    }
                    return Math.round(d * $v{a}) % 10007;
                }

                function lookups():Int {
                    var found = 0;
                    for (k in 0...$v{b * 2}) {
                        var v = table.get(k);
                        if (v != null && StringTools.startsWith(v, $v{label})) found += v.length;
                    }
                    var keys = [for (k in table.keys()) k];
                    keys.sort((x, y) -> x - y);
                    return found + keys[0] + keys.length;
                }

                function reflect():Int {
                    Reflect.setField(dyn, "extra", $v{i});
                    var n = 0;
                    for (f in Reflect.fields(dyn)) n += f.length;
                    var list:Array<Int> = dyn.list;
                    return n + list.length + Std.int(Reflect.field(dyn, "extra"));
                }

                function parse(text:String):Int {
                    var total = 0;
                    for (part in text.split(";")) {
                        var kv = part.split("=");
                        var v = Std.parseInt(kv[1]);
                        total += kv[0].charCodeAt(0) + (v == null ? 0 : v);
                    }
                    return total;
                }

                function bits(x:Int):Int {
                    var r = x;
                    for (k in 0...$v{a}) {
                        r = (r << 5) ^ (r >>> 3) ^ $v{b * 1013};
                        if (r < 0) r = -r;
                    }
                    var i64 = haxe.Int64.make(r, $v{i});
                    return r % 4099 + haxe.Int64.toInt(i64 % 1000);
                }
            };
        c.pack = [];
        return c;
    }
    #end
}
