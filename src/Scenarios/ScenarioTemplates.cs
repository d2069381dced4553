namespace DistrictSim.Scenarios;

/// <summary>Starter scenarios for <c>districtsim new NAME</c>.</summary>
public static class ScenarioTemplates
{
    /// <summary>A commented starter scenario that validates; replace the assumed figures with your district's.</summary>
    public static string Starter(string name) => $$$"""
        # yaml-language-server: $schema=../schema/districtsim.schema.json
        # A districtsim scenario: one district per file. See docs/scenario-format.md.
        # Amounts are yuan and take suffixes (7600万, 1.2亿, 2.04M, 15k); rates and shares take % (3.2%).
        # Where a value is uncertain, give a one-line distribution instead of the number,
        # e.g. {triangular: [min, mode, max]} or {beta: [alpha, beta]}.
        name: {{{ScenarioWriter.Str(name)}}}
        currency: CNY
        timeline:
          construction_years: 2        # years 0 and 1 build; operations start in year 2
          horizon_years: 30            # at most 50
        capex:
          overrun: {triangular: [0.95, 1.00, 1.30]}   # multiplier on actual spend
          components:
            - {name: public_works, category: basic, tag: public_good, amount_yuan: 3000万, phasing: [0.6, 0.4]}
            - {name: parking_building, category: complete, tag: revenue_bearing, amount_yuan: 5000万, phasing: [0.5, 0.5]}
        funding:                       # the funding stack: grants, bonds, loans, equity
          - {name: central_budget, type: central_budget, share: 30%, eligible: {tags: [public_good]}}
          - name: special_bond
            type: special_bond
            share: 40%
            eligible: {tags: [revenue_bearing]}
            issue_year: 0
            coupon: 2.5%
            coupon_frequency: semi_annual
            tenor_years: 20
            repayment: bullet
          - {name: social_capital, type: social_capital, residual: true, hurdle_rate: 6%}
        revenues:
          - {name: parking, type: parking, spaces: 300, occupancy: {beta: [8, 3]}, fee_yuan_per_space_per_month: 250,
             growth: 2%, ramp: [0.5, 0.75]}
          - {name: property_fee, type: property_fee, households: 1000, m2_per_household: 65,
             fee_yuan_per_m2_per_month: 1.00, collection_rate: {beta: [7, 3]}}
        costs:
          fixed: [{name: operations, annual_yuan: 100万, inflation: 2.5%}]
          variable: [{name: variable_cost, share_of_revenue: 15%}]
        waterfall:
          pre_operation_interest: capitalised
          fiscal_backstop: true
        analysis:
          discount_rate: 5%
          coverage_requirement: 1.2    # 本息覆盖倍数 the plan must show
          paths: 10000
          seed: 1
          sampling: mc
        sources:                       # mark every figure: quoted from a source, or assumed with a range
          - {field: parking.fee_yuan_per_space_per_month, kind: assumed, range: "150-300"}

        """;
}
