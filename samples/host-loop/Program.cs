// A C# host that owns the game loop and drives Haxe gameplay (Game.hx, compiled to game.hl):
//     dotnet run --project samples/host-loop [path/to/game.hl]
// It uses HlSharp's public API only; copy what you need.
using System.Globalization;
using HlSharp;

// game.hl is copied next to the program when it builds (HostLoop.csproj); an argument overrides it.
var path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "game.hl");

// Host natives are bound when the program loads, so add them before LoadFile. Game.hx declares
// this one as @:hlNative("host", "log") static function log(message:String):Void.
var options = new HlVmOptions();
options.Natives.Add("host", "log", (Action<string>)(message => Console.WriteLine($"[haxe] {message}")));

using var vm = HlVm.LoadFile(path, options);

// Static initialisation, then Game.main. The host owns the loop, so RunEntry returns when main
// returns: Haxe's event loop (timers, haxe.MainLoop) runs a frame at a time in vm.Update().
vm.RunEntry();

// Look things up once, before the loop. A typed delegate is checked against the Haxe signature
// here (a mismatch throws now, not mid-game); calling it passes the double straight through.
var update = vm.GetFunction<Action<double>>("Game", "update");
var game = vm.GetClass("Game");

// An instance made by the host and handed to Haxe: Player's constructor is new(name, speed).
var ada = vm.New("Player", "Ada", 3.0);
game.Call("join", ada);

// The fixed-step loop: 60 steps of 1/60 s, run as fast as possible.
const int Steps = 60;
const double Step = 1.0 / Steps;
for (var i = 0; i < Steps; i++)
{
    update(Step);   // one step of gameplay
    vm.Update();    // then the haxe.Timer callbacks that are due, MainLoop callbacks and posted events

    // A real game renders here, then sleeps until the next step is due (16.7 ms after this one
    // started), so Haxe's timers see real time pass between steps.
}

// The round is over, but Haxe still has a timer pending (the results, 50 ms after time ran out).
// With no more steps to run, wait for it as a tool would: sleep until it is due, then run it.
while (vm.HasPendingWork)
{
    Thread.Sleep(vm.TimeUntilNextWork ?? TimeSpan.FromMilliseconds(10));
    vm.Update();
}

// Statics and instance fields, read back from the host.
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"after {Steps} steps: ticks {game.Get<int>("ticks")}, score {game.Get<int>("score")}, " +
    $"Ada at x {ada.Get<double>("x"):F2} with health {ada.Get<int>("health")}"));

// An exception Haxe code does not catch reaches the host as HlHaxeException, with the thrown
// value's text as its Message and the Haxe call stack, innermost frame first. (A Haxe timer
// callback that throws surfaces the same way, from vm.Update().)
var loadLevel = vm.GetFunction<Action<string>>("Game", "loadLevel");
try
{
    loadLevel("castle");
}
catch (HlHaxeException e)
{
    Console.WriteLine($"caught HlHaxeException: {e.Message}");
    foreach (var frame in e.HaxeStack)
    {
        Console.WriteLine($"  at {frame}");
    }
}
