// Call-heavy recursion: about 7 million calls.
class Main {
    static function fib(n:Int):Int return n < 2 ? n : fib(n - 1) + fib(n - 2);

    static function main() {
        var total = 0;
        for (i in 0...3) total += fib(30);
        Sys.println("fib " + total);
    }
}
