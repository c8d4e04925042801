using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CasesIntake : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_categories",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    ParentCode = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: true),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FirstLevel = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    DepartmentCode = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: true),
                    AcceptHours = table.Column<int>(type: "integer", nullable: false),
                    DispatchHours = table.Column<int>(type: "integer", nullable: false),
                    HandleHours = table.Column<int>(type: "integer", nullable: false),
                    VerifyHours = table.Column<int>(type: "integer", nullable: false),
                    SelfClose = table.Column<bool>(type: "boolean", nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_categories", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "case_number_counters",
                columns: table => new
                {
                    Day = table.Column<string>(type: "character varying(8)", unicode: false, maxLength: 8, nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_number_counters", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(24)", unicode: false, maxLength: 24, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: false),
                    Lat = table.Column<double>(type: "double precision", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    ReporterUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReporterName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PhotoIds = table.Column<string>(type: "character varying(400)", unicode: false, maxLength: 400, nullable: true),
                    State = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    Assignee = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Satisfaction = table.Column<string>(type: "character varying(24)", unicode: false, maxLength: 24, nullable: true),
                    LastSequence = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cases_case_categories_CategoryCode",
                        column: x => x.CategoryCode,
                        principalTable: "case_categories",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Action = table.Column<string>(type: "character varying(32)", unicode: false, maxLength: 32, nullable: false),
                    FromState = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: true),
                    ToState = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    Actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", unicode: false, maxLength: 32, nullable: true),
                    Note = table.Column<string>(type: "character varying(4100)", maxLength: 4100, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_events_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_idempotency_keys",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_idempotency_keys", x => new { x.UserName, x.Key });
                    table.ForeignKey(
                        name: "FK_case_idempotency_keys_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "case_categories",
                columns: new[] { "Code", "AcceptHours", "DepartmentCode", "DispatchHours", "FirstLevel", "HandleHours", "Name", "ParentCode", "SelfClose", "SortOrder", "VerifyHours" },
                values: new object[,]
                {
                    { "01", 2, "justice", 4, "community", 72, "矛盾纠纷", null, false, 100, 24 },
                    { "0101", 2, "justice", 4, "grid", 48, "邻里纠纷", "01", true, 101, 24 },
                    { "0102", 2, "justice", 4, "community", 72, "婚姻家庭纠纷", "01", false, 102, 24 },
                    { "0103", 2, "housing", 4, "community", 120, "物业纠纷", "01", false, 103, 24 },
                    { "0104", 2, "human-resources", 4, "township", 120, "劳资纠纷", "01", false, 104, 24 },
                    { "02", 1, "emergency", 2, "township", 24, "安全隐患", null, false, 200, 12 },
                    { "0201", 1, "fire-rescue", 1, "township", 24, "消防隐患", "02", false, 201, 12 },
                    { "0202", 1, "housing", 1, "department", 8, "燃气隐患", "02", false, 202, 12 },
                    { "0203", 1, "housing", 2, "department", 48, "危房及建筑施工隐患", "02", false, 203, 24 },
                    { "03", 2, "urban-management", 4, "grid", 24, "环境卫生", null, true, 300, 24 },
                    { "0301", 2, "urban-management", 4, "grid", 24, "垃圾乱堆乱放", "03", true, 301, 24 },
                    { "0302", 2, "water", 4, "community", 24, "污水外溢", "03", false, 302, 24 },
                    { "0303", 2, "ecology", 4, "community", 48, "噪声扰民", "03", false, 303, 24 },
                    { "04", 2, "urban-management", 4, "community", 48, "市容秩序", null, false, 400, 24 },
                    { "0401", 2, "urban-management", 4, "community", 24, "占道经营", "04", false, 401, 24 },
                    { "0402", 2, "urban-management", 8, "township", 240, "违章搭建", "04", false, 402, 48 },
                    { "0403", 2, "urban-management", 4, "grid", 24, "非法小广告", "04", true, 403, 24 },
                    { "05", 2, "urban-management", 4, "community", 72, "公共设施", null, false, 500, 24 },
                    { "0501", 2, "utilities", 4, "department", 48, "公用设施(井盖、管线、路灯)", "05", false, 501, 24 },
                    { "0502", 2, "transport", 4, "department", 72, "道路交通设施", "05", false, 502, 24 },
                    { "0503", 2, "urban-management", 4, "community", 72, "市容环境设施", "05", false, 503, 24 },
                    { "0504", 2, "landscaping", 4, "department", 120, "园林绿化设施", "05", false, 504, 24 },
                    { "0505", 2, "natural-resources", 8, "department", 240, "房屋土地", "05", false, 505, 48 },
                    { "0506", 2, "urban-management", 4, "community", 120, "其他设施", "05", false, 506, 24 },
                    { "06", 4, "civil-affairs", 8, "community", 120, "民生诉求", null, false, 600, 24 },
                    { "0601", 4, "civil-affairs", 8, "community", 120, "社会救助", "06", false, 601, 24 },
                    { "0602", 4, "civil-affairs", 8, "community", 120, "养老服务", "06", false, 602, 24 },
                    { "0603", 2, "utilities", 4, "department", 24, "供暖供水", "06", false, 603, 24 },
                    { "07", 1, "public-security", 1, "township", 24, "治安", null, false, 700, 12 },
                    { "0701", 1, "public-security", 1, "township", 24, "治安隐患", "07", false, 701, 12 },
                    { "0702", 1, "public-security", 1, "township", 8, "可疑人员", "07", false, 702, 12 }
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_categories_ParentCode",
                table: "case_categories",
                column: "ParentCode");

            migrationBuilder.CreateIndex(
                name: "IX_case_events_CaseId_Sequence",
                table: "case_events",
                columns: new[] { "CaseId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_idempotency_keys_CaseId",
                table: "case_idempotency_keys",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_cases_CategoryCode",
                table: "cases",
                column: "CategoryCode");

            migrationBuilder.CreateIndex(
                name: "IX_cases_GridCode_CreatedAt",
                table: "cases",
                columns: new[] { "GridCode", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_Number",
                table: "cases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_State_CreatedAt",
                table: "cases",
                columns: new[] { "State", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_events");

            migrationBuilder.DropTable(
                name: "case_idempotency_keys");

            migrationBuilder.DropTable(
                name: "case_number_counters");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropTable(
                name: "case_categories");
        }
    }
}
