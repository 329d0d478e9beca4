"""The default rubric offered for a new stage: six criteria, scored 1 to 5, weights adding up to 100."""

DEFAULT_RUBRIC = [
    {
        "name_vi": "Tính đổi mới sáng tạo", "name_en": "Innovation", "weight": 20,
        "guidance_vi": "Sản phẩm, công nghệ hoặc mô hình kinh doanh mới đến đâu so với những gì đã có trên thị "
                       "trường Việt Nam? 1: đã phổ biến; 5: mới, khó sao chép.",
        "guidance_en": "How new is the product, technology or business model compared with what the Vietnamese "
                       "market already has? 1: common; 5: new and hard to copy.",
    },
    {
        "name_vi": "Đội ngũ sáng lập", "name_en": "Team", "weight": 20,
        "guidance_vi": "Kinh nghiệm, năng lực bổ trợ và mức độ cam kết toàn thời gian của nhóm sáng lập.",
        "guidance_en": "The founders' experience, complementary skills and full-time commitment.",
    },
    {
        "name_vi": "Thị trường và khách hàng", "name_en": "Market and customers", "weight": 20,
        "guidance_vi": "Quy mô thị trường, khách hàng cụ thể đã có hoặc đã thử nghiệm, mức sẵn sàng chi trả.",
        "guidance_en": "Size of the market, actual or pilot customers, willingness to pay.",
    },
    {
        "name_vi": "Công nghệ", "name_en": "Technology", "weight": 15,
        "guidance_vi": "Mức độ hoàn thiện kỹ thuật, khả năng mở rộng, an toàn thông tin, quyền sở hữu công nghệ.",
        "guidance_en": "Technical maturity, scalability, information security, ownership of the technology.",
    },
    {
        "name_vi": "Phù hợp với chính quyền số, kinh tế số, xã hội số",
        "name_en": "Fit with the digital pillars (government, economy, society)", "weight": 15,
        "guidance_vi": "Sản phẩm phục vụ trực tiếp ít nhất một trụ cột chuyển đổi số của Thủ đô đến mức nào.",
        "guidance_en": "How directly the product serves at least one pillar of the capital's digital transformation.",
    },
    {
        "name_vi": "Tính khả thi của kế hoạch", "name_en": "Feasibility of the plan", "weight": 10,
        "guidance_vi": "Mục tiêu trong thời gian ươm tạo có cụ thể, đo được và phù hợp với nguồn lực không?",
        "guidance_en": "Are the goals for the incubation period specific, measurable and within the team's means?",
    },
]
