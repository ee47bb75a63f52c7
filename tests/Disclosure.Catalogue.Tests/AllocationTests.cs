namespace Disclosure.Catalogue.Tests;

/// <summary>Validation is allocation-light: a valid table costs its result and nothing else.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Validating_A_Valid_Table_Allocates_Only_The_Result()
    {
        var c = TestData.Catalogue2014;
        var input = TestData.SeedTable().ToArray();
        Assert.Empty(TableValidator.Validate(c, "2014", input).Violations); // also warms up

        const int calls = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++) TableValidator.Validate(c, "2014", input);
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;

        // The values (decimal?[73], 24 bytes each), the derived flags (bool[73]), and a small result object.
        var arrays = (24 + 73 * 24) + (24 + 80);
        Assert.InRange(perCall, arrays, arrays + 96);
    }
}
