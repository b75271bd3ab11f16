using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Small programs reproducing failures found by running Haxe's own unit suite. Each expected
/// output is what HashLink's <c>hl</c> prints for the same compiled fixture.
/// </summary>
public sealed class UnitSuiteRegressionTests
{
    [Fact]
    public void Dynamic_and_reflective_arguments_fill_default_valued_basic_parameters()
    {
        // Issue3826 and TestType (Type.createInstance of a constructor with default values).
        Assert.Equal(
            """
            2/4.25/false
            6/6/false
            9/9.75/false
            2/9.75/true
            2/4.25/false
            5/4.25/false
            2/8.5/true
            7/3/false
            1 origin
            3 origin
            1 here

            """,
            Run("DefaultArgRefs"));
    }

    [Fact]
    public void Functions_with_void_parameters_compile_and_can_be_called()
    {
        // Issue9678: a T->Void callback instantiated with T = Void.
        Assert.Equal(
            """
            called 2
            calls 20
            handled
            called 3

            """,
            Run("VoidArguments"));
    }

    [Fact]
    public void Dynamic_methods_read_through_an_interface_are_bound_closures()
    {
        // Issue3159: the binding's closure must have the method's type without `this`.
        Assert.Equal(
            """
            true
            15
            17
            false
            11
            12
            true

            """,
            Run("DynamicMethodClosures"));
    }

    [Fact]
    public void Only_objects_cast_to_anonymous_structure_types()
    {
        // TestBasetypes.testOptionalStructureFields: `var a:{?f:Int} = (1 : Dynamic)` must throw.
        Assert.Equal(
            """
            anon: 1
            empty: null
            object: 3
            null: null
            int: Can't cast i32 to virtual<f:null<i32>>
            float: Can't cast f64 to virtual<f:null<i32>>
            bool: Can't cast bool to virtual<f:null<i32>>
            function: Can't cast (void ()) to virtual<f:null<i32>>
            array: null
            string: null

            """,
            Run("VirtualCasts"));
    }

    private static string Run(string fixture) => FixtureRun.Run(fixture).Stdout.ReplaceLineEndings("\n");
}
