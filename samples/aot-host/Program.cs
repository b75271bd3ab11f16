// The host-loop sample's host (samples/host-loop/Program.cs), driving the same gameplay compiled
// ahead of time, as a NativeAOT executable: no code is generated at run time. From the root:
//     dotnet run --project src/HlSharp.Cli -c Release -- compile samples/host-loop/game.hl -o samples/aot-host/program --name Game
//     dotnet publish samples/aot-host -c Release -o samples/aot-host/bin/native
//     samples/aot-host/bin/native/AotHost
// It uses HlSharp's public API only; copy what you need.
using System.Globalization;
using System.Reflection;
using HlSharp;

// The compiled program is reached by name: C# cannot name its types (its metadata refers to
// System.Private.CoreLib), and AotHost.csproj references Game.dll and keeps it whole
// (TrimmerRootAssembly), so NativeAOT compiles all of it into this executable.
var compiled = Assembly.Load("Game");

// Host natives are bound when the program loads, so add them before Load. Game.hx declares
// this one as @:hlNative("host", "log") static function log(message:String):Void.
var options = new HlVmOptions();
options.Natives.Add("host", "log", (Action<string>)(message => Console.WriteLine($"[haxe] {message}")));

using var vm = HlVm.Load(compiled, options);

// From here on, the host-loop sample's loop, unchanged: a compiled program has the same API as a loaded .hl.

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
