// Resources are bytes constants in Haxe 4.3's bytecode (version 5): each resource's content is a
// constant of the bytes table, where strings cannot hold a zero byte. The program reads them back
// as strings and as bytes; a binary one keeps its zero bytes.
class Main {
	static function main() {
		var names = haxe.Resource.listNames();
		names.sort(Reflect.compare);
		Sys.println("names: " + names.join(","));
		Sys.println("text: [" + haxe.Resource.getString("text") + "]");
		var data = haxe.Resource.getBytes("data");
		Sys.println("data: " + data.length + " bytes, hex " + data.toHex());
		Sys.println("text as bytes: " + haxe.Resource.getBytes("text").length + " bytes");
		Sys.println("missing: " + haxe.Resource.getString("nope") + " " + haxe.Resource.getBytes("nope"));
	}
}
