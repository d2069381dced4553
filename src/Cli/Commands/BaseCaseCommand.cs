using System.CommandLine;
using DistrictSim.Cli.Rendering;
using DistrictSim.Cli.Output;
using DistrictSim.Evaluation;

namespace DistrictSim.Cli.Commands;

/// <summary><c>districtsim base</c>: the base case's year-by-year statement and metrics.</summary>
internal sealed class BaseCaseCommand : Command
{
    public Argument<string> Scenario { get; } = CommonOptions.Scenario();
    public Option<string?> Csv { get; } = new("--csv") { Description = "Also write the statement as CSV to FILE (yuan, one row per year)." };
    public Option<bool> Force { get; } = CommonOptions.Force();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    private BaseCaseCommand()
        : base("base",
            "Evaluate the base case (every input at its base value): revenue by stream, costs, CFADS, debt service by instrument, DSCR, reserve, top-up and cumulative cash by year, and the metrics.\n" +
            "Example: districtsim base scenarios/wuhan-zhiyin-dongyuan.yaml --csv wuhan-base.csv")
    {
        Add(Scenario);
        Add(Csv);
        Add(Force);
        Add(Verbose);
    }

    public static BaseCaseCommand Create(CliEnvironment environment)
    {
        var command = new BaseCaseCommand();
        command.SetAction(parse => new BaseCaseAction(parse, command, environment).Execute());
        return command;
    }
}

internal sealed class BaseCaseAction(ParseResult parse, BaseCaseCommand definition, CliEnvironment environment)
{
    public int Execute() => CommandExecution.Execute(environment, parse.GetValue(definition.Verbose), Run);

    private int Run()
    {
        var scenario = ScenarioInput.Load(environment, parse.GetRequiredValue(definition.Scenario));
        var csv = parse.GetValue(definition.Csv) is { } c ? AtomicFile.Check(environment, "--csv", c, parse.GetValue(definition.Force)) : null;
        var statement = BaseCase.Evaluate(scenario.Compiled);
        Tables.Statement(Consoles.ForOut(environment), environment.Out, scenario.District.Metadata.Name, statement);
        if (csv is not null)
        {
            AtomicFile.Write(csv, file => File.WriteAllText(file, StatementColumns.Csv(statement)));
            environment.Out.WriteLine($"statement: {csv}");
        }
        return ExitCodes.Success;
    }
}
