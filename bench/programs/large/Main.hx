// A large program for the bytecode-reading benchmarks. It reaches into much of the Haxe standard
// library (JSON, serialization, XML, regular expressions, dates, Int64, maps and lists, bytes,
// zip, digests, files, templates, reflection), so the .hl carries the kinds of types, natives
// and functions a real application does; Generated.build(n) then adds n generated classes to
// bring it to about 1.5 MB of bytecode. The benchmark compiles it (haxe -main Main -hl ...) into
// .cache/bench/; the .hl is never committed. It also runs to the end under `haxe --interp`,
// which keeps it an honest program rather than a pile of dead code.

import haxe.Json;
import haxe.Serializer;
import haxe.Unserializer;
import haxe.Template;
import haxe.Int64;
import haxe.crypto.Adler32;
import haxe.crypto.Base64;
import haxe.crypto.Crc32;
import haxe.crypto.Hmac;
import haxe.crypto.Md5;
import haxe.crypto.Sha1;
import haxe.crypto.Sha224;
import haxe.crypto.Sha256;
import haxe.ds.BalancedTree;
import haxe.ds.GenericStack;
import haxe.ds.IntMap;
import haxe.ds.ObjectMap;
import haxe.ds.Option;
import haxe.ds.StringMap;
import haxe.ds.Vector;
import haxe.io.Bytes;
import haxe.io.BytesBuffer;
import haxe.io.BytesInput;
import haxe.io.BytesOutput;
import haxe.io.Path;
import haxe.xml.Access;
import haxe.xml.Printer;
import haxe.zip.Compress;
import haxe.zip.Uncompress;
import haxe.zip.Entry;
import sys.FileSystem;
import sys.io.File;
import Shape;

using StringTools;
using Lambda;

typedef Record = {
    var id:Int;
    var name:String;
    var tags:Array<String>;
    @:optional var parent:Null<Int>;
}

@:build(Generated.build(560))
class Main {
    static var log:Array<String> = [];

    static function say(s:String) {
        log.push(s);
        Sys.println(s);
    }

    static function main() {
        json();
        serializer();
        xml();
        regexps();
        strings();
        dates();
        numbers();
        collections();
        bytesAndCompression();
        digests();
        files();
        templates();
        enums();
        var total = runGenerated();
        say("generated checksum " + total);
        say("lines " + log.length);
    }

    static function json() {
        var records:Array<Record> = [for (i in 0...20) {id: i, name: "item" + i, tags: ["a" + i % 3, "b" + i % 5]}];
        records[3].parent = 1;
        var text = Json.stringify(records, null, "  ");
        var back:Array<Record> = Json.parse(text);
        say("json " + text.length + " " + back.length + " " + back[3].parent);
        var dyn:Dynamic = Json.parse('{"a":[1,2.5,"x",true,null],"b":{"c":{}}}');
        say("json fields " + Reflect.fields(dyn).join(","));
    }

    static function serializer() {
        var s = new Serializer();
        s.useCache = true;
        s.useEnumIndex = true;
        var map = new Map<String, Int>();
        map.set("one", 1);
        map.set("two", 2);
        var p = new Point(1.5, -2);
        s.serialize([p, p]);
        s.serialize(map);
        s.serialize(Rect(2, 3));
        s.serialize(Bytes.ofString("bytes"));
        s.serialize(Date.fromTime(0));
        s.serialize(Int64.make(1, 2));
        var text = s.toString();
        var u = new Unserializer(text);
        var points:Array<Point> = u.unserialize();
        var m:Map<String, Int> = u.unserialize();
        var shape:Shape = u.unserialize();
        say("serializer " + text.length + " " + (points[0] == points[1]) + " " + m.get("two") + " " + shape);
    }

    static function xml() {
        var doc = Xml.parse('<root a="1"><item id="x">one</item><item id="y"><![CDATA[two]]></item><!-- c --></root>');
        var access = new Access(doc.firstElement());
        var ids = [for (item in access.nodes.item) item.att.id + "=" + item.innerData];
        say("xml " + ids.join(";") + " " + Printer.print(doc).length);
        var built = Xml.createElement("built");
        for (i in 0...3) {
            var child = Xml.createElement("child");
            child.set("n", Std.string(i));
            child.addChild(Xml.createPCData("text & more " + i));
            built.addChild(child);
        }
        say("xml built " + built.toString());
    }

    static function regexps() {
        var word = ~/([a-z]+)([0-9]*)/gi;
        var text = "alpha1 beta22 Gamma delta333";
        var found = [];
        var pos = 0;
        while (word.matchSub(text, pos)) {
            found.push(word.matched(1) + ":" + word.matched(2));
            var p = word.matchedPos();
            pos = p.pos + p.len;
        }
        say("ereg " + found.join(",") + " " + ~/\s+/g.split(text).length + " " + word.replace(text, "<$1>"));
        say("ereg map " + ~/[aeiou]/g.map("regular expressions", function(r) return r.matched(0).toUpperCase()));
    }

    static function strings() {
        var b = new StringBuf();
        for (i in 0...10) {
            b.add(StringTools.lpad(Std.string(i), "0", 3));
            b.addChar(",".code);
        }
        var s = b.toString();
        say("strings " + s + " " + s.replace(",", ";").trim() + " " + "  pad ".ltrim().rtrim() + " " + "x".rpad(".", 4));
        say("strings " + "Hello".startsWith("He") + " " + "World".endsWith("ld") + " " + StringTools.hex(48879, 6)
            + " " + "a&b<c>".htmlEscape() + " " + "a%20b".urlDecode() + " " + "a b".urlEncode() + " " + "é".length);
        var parts = "one,two,,three".split(",");
        say("strings " + parts.filter(p -> p != "").map(p -> p.charAt(0).toUpperCase() + p.substr(1)).join(" ")
            + " " + "abc".indexOf("c") + " " + "abcabc".lastIndexOf("b") + " " + "abc".charCodeAt(1));
        var u = new UnicodeString("héllo wörld");
        say("unicode " + u.length + " " + u.indexOf("w") + " " + u.substr(1, 4));
    }

    static function dates() {
        var d = new Date(2020, 1, 29, 13, 45, 30);
        var later = DateTools.delta(d, DateTools.days(1) + DateTools.hours(2));
        say("date " + DateTools.format(d, "%Y-%m-%d %H:%M:%S") + " " + later.getDate() + " " + DateTools.getMonthDays(d)
            + " " + Date.fromString("2021-03-04").getDay() + " " + DateTools.parse(3723000).minutes);
    }

    static function numbers() {
        var a = Int64.make(0x12345678, 0x9abcdef0);
        var b = Int64.fromFloat(1e12);
        say("int64 " + Int64.toStr(a * b) + " " + Int64.toStr(Int64.divMod(a, b).modulus) + " " + (a > b) + " " + Int64.parseString("-123456789012"));
        say("math " + Math.floor(2.7) + " " + Math.round(-1.5) + " " + Math.sqrt(2) + " " + Math.max(3, 4) + " " + Math.isNaN(Math.NaN)
            + " " + Std.parseInt("0x1F") + " " + Std.parseFloat("3.25e2") + " " + Std.int(-7.9) + " " + (7 >>> 1) + " " + (-7 % 3));
    }

    static function collections() {
        var tree = new BalancedTree<String, Int>();
        for (w in ["m", "c", "x", "a", "e"]) tree.set(w, w.charCodeAt(0));
        var keys = [for (k in tree.keys()) k];
        var stack = new GenericStack<Int>();
        for (i in 0...5) stack.add(i);
        var ints = new IntMap<String>();
        for (i in 0...100) ints.set(i * 7, "v" + i);
        var objs = new ObjectMap<Point, Int>();
        var p = new Point(0, 0);
        objs.set(p, 42);
        var strings = new StringMap<Array<Int>>();
        strings.set("evens", [for (i in 0...10) if (i % 2 == 0) i]);
        var list = new List<String>();
        list.add("b");
        list.push("a");
        var vec = new Vector<Float>(8);
        for (i in 0...vec.length) vec[i] = i / 2;
        var arr = [5, 3, 9, 1, 7];
        arr.sort(Reflect.compare);
        haxe.ds.ArraySort.sort(arr, (x, y) -> y - x);
        var opt:Option<Int> = Some(3);
        say("collections " + keys.join("") + " " + stack.first() + " " + ints.get(70) + " " + objs.get(p) + " " + strings.get("evens")
            + " " + list.join("/") + " " + vec.toArray() + " " + arr + " " + opt + " " + arr.fold((x, acc) -> x + acc, 0)
            + " " + Lambda.count(arr, x -> x > 4) + " " + [1, 2, 3].exists(x -> x == 2) + " " + arr.indexOf(9));
    }

    static function bytesAndCompression() {
        var out = new BytesOutput();
        out.writeInt32(0x01020304);
        out.writeDouble(Math.PI);
        out.writeFloat(1.25);
        out.writeUInt16(65535);
        out.writeString("payload");
        var bytes = out.getBytes();
        var input = new BytesInput(bytes);
        input.bigEndian = false;
        say("bytes " + bytes.length + " " + input.readInt32() + " " + input.readDouble() + " " + input.readFloat() + " " + input.readUInt16()
            + " " + bytes.toHex() + " " + bytes.sub(0, 4).compare(Bytes.ofHex("04030201")));
        var buf = new BytesBuffer();
        for (i in 0...1000) buf.addByte(i % 17);
        var raw = buf.getBytes();
        var packed = Compress.run(raw, 9);
        var unpacked = Uncompress.run(packed);
        say("zip " + raw.length + " -> " + packed.length + " -> " + unpacked.length + " " + (unpacked.compare(raw) == 0));
        var entry:Entry = {fileName: "a.txt", fileSize: raw.length, fileTime: Date.now(), compressed: false, dataSize: raw.length, data: raw, crc32: Crc32.make(raw)};
        var zipOut = new BytesOutput();
        new haxe.zip.Writer(zipOut).write(Lambda.list([entry]));
        var entries = haxe.zip.Reader.readZip(new BytesInput(zipOut.getBytes()));
        say("zip archive " + entries.length + " " + entries.first().fileName);
    }

    static function digests() {
        var data = Bytes.ofString("The quick brown fox jumps over the lazy dog");
        say("md5 " + Md5.make(data).toHex());
        say("sha1 " + Sha1.make(data).toHex());
        say("sha224 " + Sha224.make(data).toHex());
        say("sha256 " + Sha256.make(data).toHex());
        say("hmac " + new Hmac(SHA256).make(Bytes.ofString("key"), data).toHex());
        say("crc " + Crc32.make(data) + " adler " + Adler32.make(data) + " base64 " + Base64.encode(data) + " " + Base64.decode("aGk=").toString());
        say("md5 string " + Md5.encode("abc") + " " + haxe.crypto.Sha1.encode("abc"));
    }

    static function files() {
        var dir = Path.join([Sys.getCwd(), ".hlsharp-bench-tmp"]);
        if (!FileSystem.exists(dir)) FileSystem.createDirectory(dir);
        var file = Path.join([dir, "data.txt"]);
        File.saveContent(file, "line one\nline two\n");
        var output = File.append(file, false);
        output.writeString("line three\n");
        output.close();
        var input = File.read(file, false);
        var lines = [];
        try {
            while (true) lines.push(input.readLine());
        } catch (e:haxe.io.Eof) {}
        input.close();
        var stat = FileSystem.stat(file);
        say("files " + lines.length + " " + stat.size + " " + Path.extension(file) + " " + Path.withoutDirectory(file) + " " + FileSystem.readDirectory(dir).length);
        FileSystem.deleteFile(file);
        FileSystem.deleteDirectory(dir);
        say("path " + Path.normalize("a/b/../c/./d") + " " + Path.directory("/x/y/z.txt") + " " + Path.isAbsolute("/abs"));
    }

    static function templates() {
        var t = new Template("Hello ::name::! ::foreach items::[::__current__::]::end:: ::if (count > 2)::many::else::few::end::");
        say("template " + t.execute({name: "bench", items: [1, 2, 3], count: 3}));
    }

    static function area(s:Shape):Float {
        return switch s {
            case Circle(r): Math.PI * r * r;
            case Rect(w, h): w * h;
            case Poly(points):
                var sum = 0.0;
                for (i in 0...points.length) {
                    var a = points[i];
                    var b = points[(i + 1) % points.length];
                    sum += a.x * b.y - b.x * a.y;
                }
                Math.abs(sum) / 2;
        }
    }

    static function enums() {
        var shapes = [Circle(1), Rect(2, 3), Poly([{x: 0, y: 0}, {x: 4, y: 0}, {x: 0, y: 3}])];
        say("enums " + shapes.map(area).map(a -> Math.round(a * 100) / 100) + " " + Type.enumConstructor(shapes[1]) + " " + Type.enumParameters(shapes[1])
            + " " + Type.getClassName(Type.getClass(new Point(0, 0))) + " " + Std.isOfType(shapes[0], Shape));
        var anon:Dynamic = {a: 1, b: "two"};
        Reflect.setField(anon, "c", [3]);
        say("reflect " + Reflect.fields(anon).length + " " + Reflect.field(anon, "b") + " " + Reflect.hasField(anon, "c") + " " + Reflect.isFunction(area));
        try {
            throw new haxe.Exception("boom");
        } catch (e:haxe.Exception) {
            say("exception " + e.message + " " + (haxe.CallStack.exceptionStack().length >= 0));
        }
    }
}
